"""A manager's dashboard in a real browser: a sale made elsewhere shows up without a reload; exports download."""
import csv
import io
import uuid

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import sign_in_page
from tests.factories import make_event, tiers_of
from webapp.services import sales, shifts


def _sell(app, seller, event, qty):
    with app.test_request_context():
        sales.sell(seller, event_id=str(event.pk), quantities={str(tiers_of(event)[0].pk): qty},
                   payments=[{"method": "card", "auth_code": "AUTH4242"}], idempotency_key=str(uuid.uuid4()))


def test_dashboard_refreshes_in_place_and_exports_match(page, secure_app, make_user, monkeypatch):
    monkeypatch.setitem(secure_app.config, "DASHBOARD_REFRESH_SECONDS", 1)
    seller = make_user("seller")
    with secure_app.test_request_context():
        shifts.open_shift(seller, 0)
    event = make_event(tiers=(("Inteira", 100_00, 50),))
    _sell(secure_app, seller, event, 1)
    make_user("manager", username="gerente")

    sign_in_page(page, "gerente")
    expect(page.locator("#kpi-gross")).to_have_text("R$ 100,00")
    expect(page.locator("#dash-shows")).to_contain_text("1 de 300 vendidos")
    page.set_viewport_size({"width": 1000, "height": 500})
    page.evaluate("window.scrollTo(0, 300); window.__notReloaded = true")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0

    _sell(secure_app, seller, event, 2)  # another session, through the real sale service
    expect(page.locator("#kpi-gross")).to_have_text("R$ 300,00")  # the HTMX poll brought it in
    expect(page.locator("#dash-shows")).to_contain_text("3 de 300 vendidos")
    assert page.evaluate("window.__notReloaded") is True  # same page: no reload
    assert page.evaluate("window.scrollY") == scrolled  # and the scroll stayed where it was

    page.goto("/reports/")
    expect(page.locator("#report-page tfoot")).to_contain_text("R$ 300,00")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exportar CSV").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read()), delimiter=";"))
    assert rows[-1][0] == "Total" and rows[-1][1] == "3" and rows[-1][-1] == "300,00"  # pt-BR: `;` and 300,00
    with page.expect_download() as download:
        page.get_by_role("link", name="Exportar XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).active
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last[0] == "Total" and last[1] == 3 and last[-1] == 300.0

    # The shifts' reconciliation (12 columns) fits a laptop's 1366 px: counted cash and the difference are on
    # screen, not past the page's edge or behind a sideways scroll.
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto("/reports/shifts")
    expect(page.locator("#report-page table")).to_contain_text("Diferença")
    widths = page.evaluate("(() => { const w = document.querySelector('.table-scroll'); return [w.scrollWidth, "
                           "w.clientWidth, document.documentElement.scrollWidth, window.innerWidth]; })()")
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths


def test_shifts_closed_short_or_over_still_fit_a_laptop(page, secure_app, make_user):
    """The rows a manager looks for — a drawer short or over — were set in bold, which pushed the Difference column
    past a 1366 px screen as soon as the amounts reached the thousands."""
    event = make_event(tiers=(("Inteira", 479_90, 300),))
    for name, counted_off in (("Gabriel Gerente", 5_00), ("Carla Caixa", -10_50), ("Maria das Graças", -1_234_50)):
        seller = make_user("seller", name=name)
        with secure_app.test_request_context():
            shift = shifts.open_shift(seller, 500_00)
            for method in ({"method": "cash", "tendered_cents": 959_80}, {"method": "pix", "reference": "PIX-9999"}):
                sales.sell(seller, event_id=str(event.pk), quantities={str(tiers_of(event)[0].pk): 2},
                           payments=[method], idempotency_key=str(uuid.uuid4()))
            shift.reload()
            shifts.close_shift(seller, shift, shift.expected_cash + counted_off)
    make_user("manager", username="gerente")
    sign_in_page(page, "gerente")
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto("/reports/shifts")
    expect(page.locator("#report-page tbody tr.highlight")).to_have_count(3)
    widths = page.evaluate("(() => { const w = document.querySelector('.table-scroll'); return [w.scrollWidth, "
                           "w.clientWidth]; })()")
    assert widths[0] <= widths[1], widths
