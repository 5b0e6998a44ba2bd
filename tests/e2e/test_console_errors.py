"""The main pages of each role, in a real Chromium, log no error to the console (a missing favicon, a script
failing, a 404 of an asset all show up there) — and the icon is ours."""
import pytest

from tests.i18n.states import PASSWORD, build

# Being fixed by the POS work (htmx warns when a form's hx-disabled-elt selector finds nothing yet);
# only this message is set aside, every other one fails the test.
KNOWN = ("hx-disabled-elt", "returned no matches")


def _pages(night):
    s, o = night.shows, night.orders
    return {
        "ana": ["/", "/events", f"/events/{s.tonight.pk}", f"/events/{s.cancelled.pk}", "/venues", "/admin/staff/",
                "/reports/", "/reports/sales?group=method", "/reports/shifts", "/audit/", "/orders/failed",
                f"/orders/{o.exchanged.number}"],
        "gabi": ["/", "/refunds/pending", f"/orders/{o.partial.number}", "/shift", f"/sell/{s.later.pk}"],
        "carla": ["/", "/sell", "/orders", f"/orders/{o.cash.number}", f"/shift/{night.closed_shift.pk}"],
        "paulo": ["/", "/door/", f"/door/{s.tonight.pk}"],
    }


def _errors_of(page):
    errors = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.on("response", lambda r: errors.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
    return errors


@pytest.fixture
def night(app, ctx, run_jobs, smtp):
    return build(app, run_jobs)


def test_no_console_error_on_the_main_pages_of_any_role(browser, live_server, night):
    found = []
    for username, urls in _pages(night).items():
        context = browser.new_context(base_url=live_server.url, locale="pt-BR")
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors = _errors_of(page)
        page.goto("/login")
        page.locator("#username").fill(username)
        page.locator("#password").fill(PASSWORD)
        page.locator("button[type=submit]").click()
        page.wait_for_url("**/")
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
        found += [e for e in errors if not all(part in e for part in KNOWN)]
        context.close()
    assert found == []


def test_the_favicon_is_ours_and_answers_at_the_usual_address(page, live_server):
    page.goto("/login")
    icon = page.locator("link[rel=icon]")
    assert icon.get_attribute("type") == "image/svg+xml"
    for url in (icon.get_attribute("href"), "/favicon.ico"):
        response = page.request.get(live_server.url + url)
        assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
        assert b"<svg" in response.body() and b"#7a1f2b" in response.body()  # the brand's red ticket
