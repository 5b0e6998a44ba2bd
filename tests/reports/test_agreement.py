"""The numbers agree: sales, voids, refunds, exchanges and admissions across shifts, then the dashboard, every
report and every export are checked against sums computed independently from the orders and tickets."""
import csv
import io
import re
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from babel.numbers import parse_decimal
from openpyxl import load_workbook

from tests.conftest import login_as
from tests.factories import tiers_of
from tests.sale_fixtures import card, cash, pix, sell_now
from webapp.i18n import money
from webapp.models import Order, SalesDay, Shift, Ticket
from webapp.services import aggregates, door, exchanges, refunds, shifts
from webapp.services.dashboard import dashboard


def _codes(order, status="valid"):
    return [t.code for t in Ticket.objects(order_id=order.pk, status=status).order_by("id")]


@pytest.fixture
def story(app, seller, manager, make_user, show, other_show):
    """Two shows, two sellers and a manager, each in a shift; every kind of money movement and some admissions."""
    seller2 = make_user("seller", comp_allowance=2)
    seller2.update(set__name="Segunda Vendedora")
    seller2.reload()
    doorman = make_user("door")
    a, b = show, other_show
    meia = str(tiers_of(a)[1].pk)
    with app.test_request_context():
        shifts.open_shift(seller2, 50_00)
        o1 = sell_now(seller, a, {0: 2}, [cash(tendered=250_00)])
        sell_now(seller, a, {1: 1}, [card()], documents={meia: ["123.456.789"]})
        o3 = sell_now(seller2, b, {0: 3}, [pix()])
        sell_now(seller2, b, {1: 1}, [cash(amount=100_00), {"method": "card", "auth_code": "AUTH9", "amount_cents": None}])
        sell_now(seller, a, {0: 1}, [{"method": "comp", "comp_reason": "Convidado da casa"}])
        o6 = sell_now(seller2, b, {0: 2}, [cash()])
        o7 = sell_now(seller, b, {1: 2}, [card("AUTH77")])
        refunds.void_tickets(seller, o1, _codes(o1)[:1])  # partial void in the seller's shift
        refunds.void_tickets(seller2, o6)  # whole order
        refunds.refund_tickets(manager, o3, _codes(o3)[:1], method="pix", reference="PIX-BACK-0", reason="Desistiu")
        exchanges.exchange_tickets(manager, Order.objects.get(pk=o3.pk), _codes(o3)[:1], event_id=str(b.pk),
                                   tier_id=str(tiers_of(b)[1].pk), reason="Quer VIP", idempotency_key=str(uuid.uuid4()),
                                   payments=[cash()])  # dearer: R$ 120,00 paid in cash
        exchanges.exchange_tickets(manager, o7, _codes(o7)[:1], event_id=str(b.pk), tier_id=str(tiers_of(b)[0].pk),
                                   reason="Prefere pista", idempotency_key=str(uuid.uuid4()),
                                   refund_references={"card": "REV-BACK-1"})  # cheaper: R$ 120,00 back by card
        admitted = {"Norte": _codes(o3)[:1] + _codes(o7)[:1], "Sul": [c for c in _codes(o1)[:1]]}
        for gate, codes in admitted.items():
            for code in codes:
                event = Ticket.objects.get(code=code).event_id
                assert door.admit(code, str(event), gate, doorman).admitted
        shifts.close_shift(seller2, shifts.current_shift(seller2), shifts.current_shift(seller2).expected_cash - 10_00)
    return {"a": a, "b": b, "sellers": [seller, seller2, manager]}


def _oracle():
    """Every figure the reports show, summed straight from orders and tickets (not from the aggregates)."""
    orders, tickets = list(Order.objects), list(Ticket.objects)
    paid = [o for o in orders if not any(p.method == "comp" for p in o.payments)]
    refunds_ = [(o, r) for o in orders for r in o.refunds if r.method != "comp"]
    out = {"gross": sum(o.total_cents for o in paid), "refunds": sum(r.amount_cents for _o, r in refunds_),
           "sold": len(tickets), "returned": sum(t.status == "void" for t in tickets),
           "comps": sum(o.comp_count for o in orders), "orders": len(orders)}
    out["net"] = out["gross"] - out["refunds"]
    methods_in, methods_out = Counter(), Counter()
    for o in orders:
        for p in o.payments:
            if p.method != "comp":
                methods_in[p.method] += p.amount_cents
        methods_in["exchange"] += o.credit_cents or 0
    for _o, r in refunds_:
        methods_out[r.method] += r.amount_cents
    # What really came in and went out (exchange credit is no money) is the same net.
    money = sum(v for m, v in methods_in.items() if m != "exchange") - sum(
        v for m, v in methods_out.items() if m != "exchange")
    assert money == out["net"]
    out["methods"] = {m: (methods_in[m], methods_out[m]) for m in set(methods_in) | set(methods_out)
                      if methods_in[m] or methods_out[m]}
    by = {"seller": Counter(), "show": Counter(), "tier_tickets": Counter(), "tier_gross": Counter()}
    for o in paid:
        by["seller"][o.seller_id] += o.total_cents
        by["show"][o.event_id] += o.total_cents
        for line in o.lines:
            by["tier_gross"][line.ticket_type_id] += line.subtotal_cents
    for o, r in refunds_:
        by["seller"][o.seller_id] -= r.amount_cents
        by["show"][o.event_id] -= r.amount_cents
    for t in tickets:
        by["tier_tickets"][t.ticket_type_id] += t.status != "void"
    out.update(by)
    # Net per UTC hour (the dashboard's chart): each sale in the hour it was made, each refund in the hour it was.
    hours = Counter()
    for o in paid:
        hours[aggregates.hour_key(o.created_at)] += o.total_cents
    for _o, r in refunds_:
        hours[aggregates.hour_key(r.at)] -= r.amount_cents
    out["hours"] = {k: v for k, v in hours.items() if v}
    return out


def _csv(client, url):
    """The export as LibreOffice in pt-BR reads it: UTF-8 with a BOM, fields separated by `;`."""
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _cents(text):
    """A pt-BR amount ("1320,00", "-10,00": decimal comma, a number, not text) in cents."""
    assert re.fullmatch(r"-?\d+,\d\d", text), text
    return int(parse_decimal(text, locale="pt_BR") * 100)


def test_dashboard_reports_and_exports_agree_with_the_orders(app, client, story, make_user):
    truth = _oracle()
    assert truth["returned"] == 6 and truth["refunds"] > 0 and truth["methods"]["exchange"][0] > 0
    boss = make_user("manager")
    login_as(client, boss)

    # Dashboard: today at a glance, per method, per seller, per show (sold and admitted).
    with app.test_request_context():
        data = dashboard()
    f = data["figures"]
    assert (f["gross_cents"], f["refunds_cents"], f["net_cents"]) == (truth["gross"], truth["refunds"], truth["net"])
    assert (f["sold"], f["returned"], f["comps"], f["orders"]) == (truth["sold"], truth["returned"], truth["comps"],
                                                                    truth["orders"])
    assert {r["method"]: (r["in_cents"], r["out_cents"]) for r in data["methods"]} == truth["methods"]
    assert sum(r["net_cents"] for r in data["sellers"]) == truth["net"]
    shows = {s["event"].pk: s for s in data["shows"]}
    for event in (story["a"], story["b"]):
        live = Ticket.objects(event_id=event.pk, status__ne="void").count()
        assert shows[event.pk]["sold"] == live
        assert shows[event.pk]["admitted"] == Ticket.objects(event_id=event.pk, status="used").count()
    assert shows[story["b"].pk]["admitted"] == 2
    assert data["days"][-1]["net_cents"] == truth["net"] and sum(h["net_cents"] for h in data["hours"]) == truth["net"]
    last = aggregates.hour_start(data["updated_at"])
    keys = [aggregates.hour_key(last - timedelta(hours=23 - i)) for i in range(24)]
    assert {k: h["net_cents"] for k, h in zip(keys, data["hours"]) if h["net_cents"]} == truth["hours"]
    page = client.get("/").get_data(as_text=True)
    with app.test_request_context():
        assert re.search(r'id="kpi-net">\s*' + re.escape(money(truth["net"])), page)
        assert re.search(r'id="kpi-tickets">\s*' + str(truth["sold"] - truth["returned"]), page)

    # Sales report, every grouping, on screen (totals row), CSV and XLSX.
    for group in ("day", "show", "tier", "seller", "method"):
        rows = _csv(client, f"/reports/sales/export.csv?group={group}")
        header, body, total = rows[0], rows[1:-1], rows[-1]
        col = {name: i for i, name in enumerate(header)}
        net = col["Líquido"]
        assert _cents(total[net]) == truth["net"] == sum(_cents(r[net]) for r in body), group
        screen = client.get(f"/reports/sales?group={group}").get_data(as_text=True)
        foot = re.search(r"<tfoot>(.*?)</tfoot>", screen, re.S).group(1)
        with app.test_request_context():
            assert money(truth["net"]) in foot and money(truth["gross"]) in foot
        book = load_workbook(io.BytesIO(client.get(f"/reports/sales/export.xlsx?group={group}").data))
        sheet = list(book.active.iter_rows(values_only=True))
        assert round(sheet[-1][net] * 100) == truth["net"]
        assert book.active.cell(row=len(sheet), column=net + 1).number_format == '"R$" #,##0.00'
        if group == "method":
            got = {r[0]: (_cents(r[col["Bruto"]]), _cents(r[col["Reembolsos"]])) for r in body}
            assert sorted(got.values()) == sorted(truth["methods"].values())
        elif group == "seller":
            assert sorted(_cents(r[net]) for r in body) == sorted(v for v in truth["seller"].values())
        elif group == "show":
            assert sorted(_cents(r[net]) for r in body) == sorted(truth["show"].values())
        elif group == "tier":
            assert sorted(int(r[col["Ingressos líquidos"]]) for r in body) == sorted(
                v for v in truth["tier_tickets"].values())
            assert sorted(_cents(r[col["Bruto"]]) for r in body) == sorted(truth["tier_gross"].values())
        else:
            assert int(total[col["Ingressos vendidos"]]) == truth["sold"]
            assert int(total[col["Devolvidos"]]) == truth["returned"]
    # Filters: one seller's figures are that seller's orders only.
    seller = story["sellers"][0]
    rows = _csv(client, f"/reports/sales/export.csv?seller={seller.pk}")
    assert _cents(rows[-1][-1]) == truth["seller"][seller.pk]

    # Shift reconciliation: expected cash from the orders' cash payments and the cash paid back from each drawer.
    rows = _csv(client, "/reports/shifts/export.csv")
    header = rows[0]
    expected_col, counted_col, diff_col = (header.index(n) for n in ("Dinheiro esperado", "Dinheiro contado", "Diferença"))
    orders = list(Order.objects)
    for shift in Shift.objects:
        cash_in = sum(p.amount_cents for o in orders if o.shift_id == shift.pk for p in o.payments if p.method == "cash")
        cash_out = sum(r.amount_cents for o in orders for r in o.refunds if r.method == "cash" and (
            (r.kind == "void" and o.shift_id == shift.pk) or (r.kind != "void" and r.by == shift.seller_id)))
        expected = shift.opening_float_cents + cash_in - cash_out
        row = next(r for r in rows[1:-1] if r[0] == shift.seller_name)
        assert _cents(row[expected_col]) == expected, shift.seller_name
        if shift.status == "closed":
            assert _cents(row[counted_col]) == expected - 10_00 and _cents(row[diff_col]) == -10_00
    screen = client.get("/reports/shifts?only_differences=1").get_data(as_text=True)
    assert screen.count('class="highlight"') == 1

    # Door report per show and gate, against the tickets.
    rows = _csv(client, f"/reports/door/export.csv?event={story['b'].pk}")
    gates = {r[0]: int(r[1]) for r in rows if r and r[0] in ("Norte", "Sul")}
    assert gates == {"Norte": 2}
    assert ["Admitidos", "2"] in rows

    # The rebuild (the oracle of the live buckets) produces exactly what the transactions maintained.
    live = _buckets()
    with app.app_context():
        aggregates.rebuild()
    assert _buckets() == live


def _buckets():
    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if clean(v) not in (0, {}, None)}
        return value

    days = {d["_id"]: clean(d) for d in SalesDay._get_collection().find()}
    assert all(d.get("hours") for d in days.values())  # every day bucket carries its hour entries (the chart's)
    return days
