"""Every page each role can reach, in a real Chromium under the real headers: no Content-Security-Policy or
Permissions-Policy complaint in the console, no script error, and the behaviour moved out of the templates
(htmx, select auto-submit, print button, occupancy bars, the door's camera) still works."""
import re
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import template_rendered
from playwright.sync_api import expect

from tests.factories import make_event, tiers_of
from webapp.services import sales

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
# The print dialog would stop a headless browser: count it on the page instead (and not with window.* polling,
# which Playwright does through eval, refused by the CSP).
COUNT_PRINTS = ("window.print = function () { var d = document.documentElement.dataset;"
                " d.printed = (+d.printed || 0) + 1; };")
MAX_PAGES_PER_ROLE = 60


def page_templates():
    """Whole-page templates: not fragments (_*.html), macros, e-mails or the layout itself."""
    names = set()
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        if not path.name.startswith("_") and not name.startswith(("macros/", "email/")) and name != "base.html":
            names.add(name)
    return names


class Visit:
    """One signed-in browser: collects every console complaint and script error of every page it shows."""

    def __init__(self, browser, base_url, javascript=True):
        self.context = browser.new_context(base_url=base_url, locale="pt-BR", java_script_enabled=javascript)
        self.context.add_init_script(COUNT_PRINTS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm
        self.problems = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.page.url}: script error: {error}"))

    def _console(self, message):
        text, source = message.text, message.location.get("url", "")
        # A page's own status is checked where it is visited; the browser asks for /favicon.ico by itself.
        if text.startswith("Failed to load resource") and (source == self.page.url or source.endswith("/favicon.ico")):
            return
        if message.type == "error" or "Policy" in text or "Refused" in text:
            self.problems.append(f"{self.page.url}: {message.type}: {text} {source}")

    def sign_in(self, username):
        self.page.goto("/login")
        self.page.get_by_label("Usuário").fill(username)
        self.page.get_by_label("Senha").fill("secret-pass")
        self.page.get_by_role("button", name="Entrar").click()
        self.page.wait_for_url(re.compile(r"/$"))

    def camera_allowed(self):
        return self.page.evaluate("document.featurePolicy.allowsFeature('camera')")

    def crawl(self, start="/"):
        """Follow every same-site link from `start`, one address per shape (ids and numbers folded)."""
        seen, queue, visited = set(), [start], []
        while queue and len(visited) < MAX_PAGES_PER_ROLE:
            url = queue.pop(0)
            shape = _shape(url)
            if shape in seen:
                continue
            seen.add(shape)
            response = self.page.goto(url)
            assert response.status < 400, (url, response.status)
            visited.append(url)
            links = self.page.eval_on_selector_all(
                "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))")
            queue.extend(link for link in links if _followable(link))
        self.assert_no_problems()
        return visited

    def assert_no_problems(self):
        assert self.problems == [], "\n".join(self.problems)

    def close(self):
        self.context.close()


def _followable(link):
    parts = urlsplit(link)
    return (not parts.scheme and not parts.netloc and parts.path.startswith("/")
            and not parts.path.startswith(("/static/", "/api/v1/")))


def _shape(url):
    parts = urlsplit(url)
    path = "/".join("*" if re.search(r"\d", segment) and len(segment) >= 6 else segment
                    for segment in parts.path.split("/"))
    return path, tuple(sorted(key for key, _ in parse_qsl(parts.query)))


@pytest.fixture
def rendered(secure_app):
    names = set()

    def record(sender, template, context, **extra):
        names.add(template.name)

    template_rendered.connect(record, secure_app)
    yield names
    template_rendered.disconnect(record, secure_app)


@pytest.fixture
def visit(browser, live_server):
    visits = []

    def open_browser(javascript=True):
        visits.append(Visit(browser, live_server.url, javascript))
        return visits[-1]

    yield open_browser
    for v in visits:
        v.close()


def _sell(app, seller, event):
    with app.test_request_context():
        return sales.sell(seller, event_id=str(event.pk), quantities={str(tiers_of(event)[0].pk): 2},
                          payments=[{"method": "card", "auth_code": "AUTH4242"}], idempotency_key=str(uuid.uuid4()))


def test_every_page_of_every_role_runs_under_the_policy(visit, secure_app, make_user, rendered):
    show = make_event(title="Noite de Samba", tiers=(("Inteira", 100_00, 50),), days_ahead=0)
    make_event(title="Rascunho", status="draft")
    users = {role: make_user(role, username=name)
             for role, name in (("admin", "ana"), ("manager", "gui"), ("seller", "carla"), ("door", "rita"))}
    visited = []

    # Anonymous: the sign-in page and an error page.
    anonymous = visit()
    anonymous.page.goto("/login")
    assert anonymous.page.goto("/no-such-page").status == 404
    anonymous.assert_no_problems()

    # The seller: opens a shift, sells through htmx, prints, closes the shift.
    seller = visit()
    seller.sign_in("carla")
    seller.page.goto("/shift")
    seller.page.get_by_label("Fundo de troco inicial").fill("100,00")
    seller.page.get_by_role("button", name="Abrir turno").click()
    expect(seller.page.get_by_text("Turno aberto desde")).to_be_visible()
    order = _sell(secure_app, users["seller"], show)  # another till's sale would do; this one is printed below
    seller.page.goto("/sell")
    seller.page.get_by_role("link", name=re.compile("Noite de Samba")).click()  # hx-get into the sale panel
    quantity = seller.page.get_by_label("Inteira")
    quantity.press("ArrowUp")  # the total comes back from the server through htmx
    expect(seller.page.locator("#sale-total")).to_have_text("R$\xa0100,00")
    visited += seller.crawl("/")
    seller.page.goto(f"/orders/{order.number}/print?print=1")  # as the order page's Print tickets sends it
    expect(seller.page.locator("html")).to_have_attribute("data-printed", "1")
    assert seller.camera_allowed() is False
    seller.page.goto("/shift")
    seller.page.get_by_label("Dinheiro contado na gaveta").fill("100,00")
    seller.page.get_by_role("button", name="Fechar turno").click()  # the count is checked, then confirmed
    seller.page.get_by_role("button", name="Sim, fechar o turno").click()
    seller.page.wait_for_url(re.compile(r"/shift/\w+$"))
    seller.assert_no_problems()

    # The door: picks the show and gate, scans a code; only this page may use the camera.
    door = visit()
    door.sign_in("rita")
    visited += door.crawl("/")
    door.page.goto("/door/")
    door.page.get_by_label("Noite de Samba").check()
    door.page.get_by_label("Porta", exact=True).fill("Porta A")
    door.page.get_by_role("button", name="Começar a validar").click()
    door.page.get_by_label("Código do ingresso").press_sequentially("NO-SUCH-CODE")
    door.page.get_by_label("Código do ingresso").press("Enter")
    expect(door.page.locator("#door-result")).to_have_attribute("data-outcome", "refused")
    assert door.camera_allowed() is True
    door.page.goto("/")
    assert door.camera_allowed() is False
    door.assert_no_problems()

    # The manager: dashboard (polling), reports (a select that submits itself, the print button), audit, refunds.
    manager = visit()
    manager.sign_in("gui")
    visited += manager.crawl("/")
    manager.page.goto("/reports/sales")
    manager.page.locator("select[name=event]").select_option(str(show.pk))
    manager.page.wait_for_url(re.compile(r"event=\w+"))  # requestSubmit() went through htmx (hx-push-url)
    expect(manager.page.locator("#report-page select[name=tier] option", has_text="Inteira")).to_have_count(1)
    manager.page.get_by_role("button", name="Imprimir").click()
    expect(manager.page.locator("html")).to_have_attribute("data-printed", "1")
    manager.page.goto(f"/events/{show.pk}")
    bar, fill = manager.page.locator(".occupancy .bar"), manager.page.locator(".occupancy .bar rect")
    assert abs(fill.bounding_box()["width"] - bar.bounding_box()["width"] * 2 / 300) < 1.5  # 2 of 300 sold
    manager.page.goto("/")
    manager.page.locator("details.usermenu summary").click()
    manager.page.get_by_label("Idioma").select_option("en")  # the language select submits itself
    expect(manager.page.get_by_role("navigation", name="Main")).to_be_visible()  # now in English
    manager.assert_no_problems()

    # Without JavaScript the refund button posts as a plain form: its confirmation step is a page of its own.
    plain = visit(javascript=False)
    plain.sign_in("gui")
    plain.page.goto(f"/orders/{order.number}")
    plain.page.locator("#refund-reason").fill("Cliente desistiu de ir")
    plain.page.locator("#refund-button").click()
    expect(plain.page.locator("#refund-confirm")).to_be_visible()
    plain.assert_no_problems()

    # The admin: everything else (venues, staff, show forms, failed confirmations), and the re-sign-in page.
    admin = visit()
    admin.sign_in("ana")
    visited += admin.crawl("/")
    assert admin.page.goto("/reauthenticate").status == 200
    assert admin.page.goto("/account/password").status == 200
    assert admin.page.goto("/api/docs/").status == 200  # Swagger UI under its own policy
    expect(admin.page.locator(".opblock").first).to_be_visible()
    admin.assert_no_problems()

    assert len(visited) > 30
    missing = page_templates() - rendered
    assert missing == set(), f"pages never shown in the browser: {sorted(missing)}"


def test_swagger_ui_still_works_under_its_own_policy(visit, make_user):
    make_user("admin", username="ana")
    admin = visit()
    admin.sign_in("ana")
    admin.page.goto("/api/docs/")
    expect(admin.page.locator(".opblock").first).to_be_visible()
    expect(admin.page.locator(".opblock-summary-path", has_text="/api/v1/orders").first).to_be_attached()
    assert admin.problems == []  # Swagger UI from the swagger-ui-dist package: nothing inline, nothing from elsewhere
    assert admin.page.evaluate("typeof window.ui") == "object"  # the page's script ran to its end
    assert admin.camera_allowed() is False
