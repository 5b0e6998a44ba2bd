"""Exports as a spreadsheet program opens them: typed text stays text (never a live formula) in every export,
numbers stay numbers, and the CSV is written the reader's way (pt-BR: `;`, 1320,00, day-first dates; en: `,`)."""
import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.conftest import login_as
from tests.factories import make_event
from tests.sale_fixtures import cash, sell_now
from webapp.models import Ticket
from webapp.services import door, shifts

HYPERLINK = '=HYPERLINK("http://x","y")'
TITLE = "+SUM(1;2)"  # the `;` also tests quoting in a `;`-separated file
TIER = "-Pista"
GATE = "@Portão 1"


@pytest.fixture
def night(app, make_user):
    """A seller named like a formula sells R$ 1.320,00 of a show titled like one, a gate typed like one lets the
    customer in, and the drawer closes R$ 10,00 short."""
    seller = make_user("seller")
    seller.update(set__name=HYPERLINK)
    seller.reload()
    doorman = make_user("door")
    event = make_event(title=TITLE, tiers=((TIER, 660_00, 10),), days_ahead=0)
    with app.test_request_context():
        shifts.open_shift(seller, 100_00)
        order = sell_now(seller, event, {0: 2}, [cash()])
        for ticket, gate in zip(Ticket.objects(order_id=order.pk), (GATE, HYPERLINK)):
            assert door.admit(ticket.code, str(event.pk), gate, doorman).admitted
        shift = shifts.current_shift(seller)
        shifts.close_shift(seller, shift, shift.expected_cash - 10_00)
    return event


def _manager(client, make_user, locale="pt_BR"):
    login_as(client, make_user("manager", locale=locale))


def _csv(client, url, separator=";"):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not "; charset=utf-8; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # UTF-8 with a BOM: the accents survive
    return list(csv.reader(io.StringIO(text[1:]), delimiter=separator))


def _xlsx(client, url):
    data = client.get(url).data
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    return load_workbook(io.BytesIO(data)).active, xml


def _assert_text_stays_text(client, url, texts):
    """Each typed text is one CSV field behind an apostrophe and one XLSX string cell with a quote prefix."""
    fields = [f for row in _csv(client, url.replace(".xlsx", ".csv")) for f in row]
    sheet, xml = _xlsx(client, url.replace(".csv", ".xlsx"))
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in texts:
        assert any(f.startswith("'" + text) for f in fields), (text, fields)
        assert not any(f.startswith(text) for f in fields), (text, fields)
        cell = next(c for v, c in cells.items() if v.startswith(text))
        assert cell.data_type == "s" and cell.quotePrefix, (text, cell.data_type)
    assert "<f>" not in xml  # no formula anywhere in the sheet


@pytest.mark.parametrize("group, texts", [("seller", [HYPERLINK]), ("show", [TITLE]), ("tier", [TITLE])])
def test_sales_export_keeps_typed_names_as_text(client, make_user, night, group, texts):
    _manager(client, make_user)
    _assert_text_stays_text(client, f"/reports/sales/export.csv?group={group}", texts)
    rows = _csv(client, f"/reports/sales/export.csv?group={group}")
    assert rows[-1][0] == "Total" and rows[-1][-1] == "1320,00"  # money is a number, not text


def test_shift_export_keeps_the_sellers_name_as_text_and_a_shortfall_a_number(client, make_user, night):
    _manager(client, make_user)
    _assert_text_stays_text(client, "/reports/shifts/export.csv", [HYPERLINK])
    rows = _csv(client, "/reports/shifts/export.csv")
    difference = rows[0].index("Diferença")
    assert rows[1][difference] == "-10,00"  # a negative amount: a number, no apostrophe
    sheet, _xml = _xlsx(client, "/reports/shifts/export.xlsx")
    cell = sheet.cell(row=2, column=difference + 1)
    assert cell.value == -10.0 and cell.data_type == "n" and not cell.quotePrefix


def test_door_export_keeps_gates_and_the_title_as_text(client, make_user, night):
    _manager(client, make_user)
    _assert_text_stays_text(client, f"/reports/door/export.csv?event={night.pk}", [GATE, HYPERLINK, TITLE])
    rows = _csv(client, f"/reports/door/export.csv?event={night.pk}")
    assert ["'" + GATE, "1"] in [r[:2] for r in rows] and ["'" + HYPERLINK, "1"] in [r[:2] for r in rows]


def test_csv_is_written_the_way_the_readers_spreadsheet_reads_it(client, make_user, night):
    _manager(client, make_user)
    pt = _csv(client, "/reports/sales/export.csv?group=day")
    assert pt[0][:2] == ["Dia", "Ingressos vendidos"]
    day, total = pt[1], pt[-1]
    assert len(day[0]) == 10 and day[0][2] == "/" and day[0][5] == "/"  # 31/03/2025: a date in pt-BR
    assert total[-3:] == ["1320,00", "0,00", "1320,00"]
    shifts_pt = _csv(client, "/reports/shifts/export.csv")
    assert shifts_pt[1][1][2] == "/" and shifts_pt[1][1][13] == ":"  # opened at 31/03/2025 20:15

    english = client.application.test_client()
    _manager(english, make_user, locale="en")
    en = _csv(english, "/reports/sales/export.csv?group=day", separator=",")
    assert en[0][:2] == ["Day", "Tickets sold"]
    assert en[1][0][4] == "-" and en[-1][-3:] == ["1320.00", "0.00", "1320.00"]  # ISO date, decimal point
    raw = english.get("/reports/sales/export.csv?group=show").get_data(as_text=True)
    assert ";" not in raw.replace(TITLE, "")  # the English file is comma-separated throughout
