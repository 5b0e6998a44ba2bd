"""Reports and dashboard pages: who sees them, clean 400s on bad filters, pages, local days, exports' types."""
import io
from datetime import datetime, timedelta, timezone

import pytest
from bson import ObjectId
from openpyxl import load_workbook

from tests.sale_fixtures import cash, sell_now
from webapp.models import SalesDay, Shift
from webapp.services import aggregates, orders


def test_sellers_keep_their_simple_home_and_cannot_open_reports(client, logged_in):
    logged_in("seller")
    assert 'id="dashboard-live"' not in client.get("/").get_data(as_text=True)
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/sales/export.csv").status_code == 403
    assert client.get("/dashboard/live").status_code == 403


def test_the_poll_returns_only_the_fragment_with_the_configured_interval(app, client, logged_in, monkeypatch):
    monkeypatch.setitem(app.config, "DASHBOARD_REFRESH_SECONDS", 2)
    logged_in("manager")
    body = client.get("/dashboard/live", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert body.lstrip().startswith('<div id="dashboard-live"') and "<html" not in body
    assert 'hx-trigger="every 2s"' in body and 'hx-swap="outerHTML"' in body
    assert "Nenhuma venda hoje ainda." in body


@pytest.mark.parametrize("query, message", [
    ("start=2025-02-30", "A data inicial deve ser uma data como 2025-03-31."),
    ("end=ontem", "A data final deve ser uma data como 2025-03-31."),
    ("start=2025-03-10&end=2025-03-01", "A data inicial é depois da data final."),
    ("start=2023-01-01&end=2025-01-01", "Escolha no máximo 366 dias."),
    ("event=not-an-id", "Espetáculo não encontrado."),
    ("event=" + "z" * 24, "Espetáculo não encontrado."),  # 24 characters but not an id: it was a 500
    ("seller=123", "Vendedor não encontrado."),
    ("method=bitcoin", "Forma de pagamento desconhecida."),
    ("group=week", "Agrupamento desconhecido."),
    (f"tier={ObjectId()}&group=method", "não pelos dois"),
])
def test_bad_filters_say_why_with_a_400(client, logged_in, query, message):
    logged_in("manager")
    for url in (f"/reports/sales?{query}", f"/reports/sales/export.csv?{query}", f"/reports/sales/export.xlsx?{query}"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert message in response.get_data(as_text=True)
    assert client.get("/reports/nope").status_code == 404
    assert client.get("/reports/sales/export.pdf").status_code == 404


def test_a_door_report_for_an_unknown_show_is_a_404(client, logged_in):
    logged_in("manager")
    assert client.get(f"/reports/door?event={ObjectId()}").status_code == 404
    assert "Escolha um espetáculo." in client.get("/reports/door").get_data(as_text=True)


def test_a_chosen_show_with_no_rows_says_why_not_nothing_in_this_period(client, logged_in, show):
    """The door and seats reports are of one show, not of a period: with nobody in yet, or no numbered seats, they
    said "Nothing in this period"."""
    logged_in("manager")
    door = client.get(f"/reports/door?event={show.pk}").get_data(as_text=True)
    assert "Ninguém entrou ainda." in door and "Nada neste período." not in door
    seats = client.get(f"/reports/seats?event={show.pk}").get_data(as_text=True)
    assert "Este espetáculo não tem lugares numerados." in seats and "Nada neste período." not in seats

def test_days_are_the_venues_local_days(app, client, logged_in):
    """01:30 UTC on 10 March is 22:30 on 9 March in São Paulo: the sale belongs to the 9th."""
    at = datetime(2025, 3, 10, 1, 30, tzinfo=timezone.utc)
    order = {"event_id": ObjectId(), "seller_id": ObjectId(), "created_at": at, "total_cents": 50_00,
             "lines": [{"ticket_type_id": ObjectId(), "quantity": 1, "subtotal_cents": 50_00, "unit_price_cents": 50_00}],
             "payments": [{"method": "pix", "amount_cents": 50_00}]}
    with app.app_context():
        aggregates.record_sale(None, order)
    assert SalesDay.objects.get().day == "2025-03-09"
    logged_in("manager")
    rows = client.get("/reports/sales/export.csv?start=2025-03-09&end=2025-03-09").get_data(as_text=True).splitlines()
    assert rows[1].startswith("09/03/2025;1;") and rows[-1].endswith(";50,00;0,00;50,00")
    assert "Nada neste período." in client.get("/reports/sales?start=2025-03-10&end=2025-03-10").get_data(as_text=True)


def test_a_released_sale_leaves_the_figures(app, client, ctx, seller, show, logged_in):
    order = sell_now(seller, show, {0: 2}, [cash()])
    assert orders.release_order(order.pk, "payment failed") is True
    assert orders.release_order(order.pk, "payment failed") is False  # once only
    logged_in("manager")
    total = client.get("/reports/sales/export.csv").get_data(as_text=True).splitlines()[-1].split(";")
    assert total[1:] == ["2", "0", "2", "0", "200,00", "200,00", "0,00"]


def _shift(seller_id, opened, difference):
    Shift(seller_id=seller_id, seller_name="Caixa", opened_at=opened, closed_at=opened + timedelta(hours=6),
          status="closed", opening_float_cents=100_00, counted_cash_cents=100_00 + difference,
          expected_cash_cents=100_00, difference_cents=difference, totals_by_method={}).save()


def test_shift_report_pages_and_marks_differences(client, logged_in):
    now = datetime.now(timezone.utc) - timedelta(days=1)
    for i in range(55):
        _shift(ObjectId(), now - timedelta(minutes=i), -5_00 if i == 54 else 0)
    logged_in("manager")
    first = client.get("/reports/shifts").get_data(as_text=True)
    assert "Página 1 de 2" in first and first.count("<tr class=") == 50 + 1  # + the totals row
    last = client.get("/reports/shifts?page=2").get_data(as_text=True)
    assert "Página 2 de 2" in last and last.count('class="highlight"') == 1
    assert "Página 1 de 2" in client.get("/reports/shifts?page=abc").get_data(as_text=True)
    only = client.get("/reports/shifts?only_differences=1").get_data(as_text=True)
    assert only.count('class="highlight"') == 1 and "Página" not in only
    # The export holds every page, with typed cells: local times and BRL money.
    sheet = load_workbook(io.BytesIO(client.get("/reports/shifts/export.xlsx").data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 56 and rows[-1][0] == "Total" and rows[-1][-1] == -5.0
    opened = sheet.cell(row=2, column=2)
    assert opened.value == now.astimezone(timezone(timedelta(hours=-3))).replace(tzinfo=None, microsecond=opened.value.microsecond)
    assert sheet.cell(row=2, column=5).number_format == '"R$" #,##0.00' and sheet.cell(row=2, column=5).value == 100.0


def test_shift_totals_do_not_set_an_open_drawer_against_no_count(client, logged_in):
    now = datetime.now(timezone.utc) - timedelta(hours=2)
    _shift(ObjectId(), now, -5_00)
    logged_in("manager")
    closed_only = client.get("/reports/shifts/export.csv").get_data(as_text=True).splitlines()[-1].split(";")
    assert closed_only[0] == "Total" and closed_only[-3:] == ["100,00", "95,00", "-5,00"]
    Shift(seller_id=ObjectId(), seller_name="Caixa 2", opened_at=now, status="open", opening_float_cents=50_00,
          totals_by_method={}).save()
    with_open = client.get("/reports/shifts/export.csv").get_data(as_text=True).splitlines()[-1].split(";")
    assert with_open[-3:] == ["150,00", "", ""]  # the drawers' expected cash; no total count while one is uncounted
