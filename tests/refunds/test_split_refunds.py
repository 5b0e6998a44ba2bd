"""Money goes back on the methods it came in on: a split order refunded per method, checked against the dashboard,
the by-method report and the shifts; no per-method total goes negative."""
import uuid

import pytest

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import cash
from webapp.models import Order, Ticket
from webapp.services import ServiceError, dashboard, exchanges, refunds, shifts
from webapp.services.reports import parse_filters, sales_report


def _split_order(sell, seller):
    """Card R$ 150,00 + Pix R$ 100,00 for 2 × R$ 125,00 — the order staff found refunded all 'to card'."""
    event = make_event(title="Noite de Gala", tiers=(("Plateia", 125_00, 50),))
    return sell(seller, {0: 2}, event=event, payments=[
        {"method": "card", "amount_cents": 150_00, "auth_code": "AUTH150"},
        {"method": "pix", "amount_cents": None, "reference": "PIX-100"}])


def _methods_today():
    return {row["method"]: row for row in dashboard.dashboard()["methods"]}


def _report_by_method():
    report = sales_report(parse_filters({"group": "method"}))
    return {row["label"]: row for row in report.rows}


def test_refund_of_a_split_order_goes_back_on_each_method(sell, seller, manager):
    order = _split_order(sell, seller)
    preview = refunds.refund_preview(order, reason="Desistiu da noite")
    assert preview["amount"] == 250_00 and preview["holding"] == {"card": 150_00, "pix": 100_00}
    assert preview["split"] == {"card": 150_00, "pix": 100_00}
    with pytest.raises(ServiceError, match="150,00"):  # all of it to card: card only took R$ 150,00
        refunds.refund_tickets(manager, order, method="card", reference="REV-1", reason="Desistiu da noite")
    with pytest.raises(ServiceError, match="referência"):  # the Pix refund needs its reference too
        refunds.refund_tickets(manager, order, reason="Desistiu da noite", references={"card": "REV-1"})
    assert Order.objects.get(pk=order.pk).refunded_cents == 0
    outcome = refunds.refund_tickets(manager, order, reason="Desistiu da noite",
                                     references={"card": "REV-1", "pix": "PIXBACK-1"})
    assert [(r.method, r.amount_cents, r.reference) for r in outcome.order.refunds] == [
        ("card", 150_00, "REV-1"), ("pix", 100_00, "PIXBACK-1")]
    assert outcome.order.status == "refunded" and outcome.order.refunded_cents == 250_00
    methods = _methods_today()
    assert {m: (r["in_cents"], r["out_cents"], r["net_cents"]) for m, r in methods.items()} == {
        "card": (150_00, 150_00, 0), "pix": (100_00, 100_00, 0)}
    by_method = _report_by_method()
    assert {label: row["net_cents"] for label, row in by_method.items()} == {"Cartão": 0, "Pix": 0}
    assert all(row["net_cents"] >= 0 for row in by_method.values())
    assert shifts.current_shift(manager).cash_refunds_cents == 0  # no cash left any drawer


def test_staff_adjust_the_split_of_a_partial_refund(sell, seller, manager):
    order = _split_order(sell, seller)
    one = [Ticket.objects(order_id=order.pk).first().code]
    assert refunds.refund_preview(order, one, reason="Um desistiu")["split"] == {"card": 125_00}
    with pytest.raises(ServiceError, match="somam"):
        refunds.refund_tickets(manager, order, one, reason="Um desistiu", split={"pix": 100_00},
                               references={"pix": "PIXBACK-2"})
    outcome = refunds.refund_tickets(manager, order, one, reason="Um desistiu", split={"pix": 100_00, "card": 25_00},
                                     references={"pix": "PIXBACK-2", "card": "REV-2"})
    assert {r.method: r.amount_cents for r in outcome.order.refunds} == {"pix": 100_00, "card": 25_00}
    # What is left can only go back by card now: Pix gave back all it took.
    rest = refunds.refund_preview(outcome.order, reason="O outro também")
    assert rest["holding"] == {"card": 125_00} and rest["split"] == {"card": 125_00}
    with pytest.raises(ServiceError, match="Pix"):
        refunds.refund_tickets(manager, outcome.order, reason="O outro também", method="pix", reference="PIXBACK-3")
    refunds.refund_tickets(manager, outcome.order, reason="O outro também", references={"card": "REV-3"})
    assert {m: r["net_cents"] for m, r in _methods_today().items()} == {"card": 0, "pix": 0}


def test_cash_goes_back_from_the_drawer_only_for_cash(sell, seller, manager):
    order = sell(seller, {0: 1}, payments=[cash(amount=40_00), {"method": "card", "amount_cents": None,
                                                                 "auth_code": "AUTH60"}])
    refunds.refund_tickets(manager, order, reason="Desistiu", references={"card": "REV-60"})
    assert shifts.current_shift(manager).cash_refunds_cents == 40_00
    assert {r.method: r.amount_cents for r in Order.objects.get(pk=order.pk).refunds} == {"cash": 40_00,
                                                                                          "card": 60_00}


def test_an_exchange_credit_goes_back_on_the_methods_it_was_paid_with(sell, seller, manager):
    order = _split_order(sell, seller)
    vip = make_event(title="Gala VIP", tiers=(("VIP", 300_00, 10),))
    new = exchanges.exchange_tickets(manager, order, [t.code for t in Ticket.objects(order_id=order.pk)],
                                     event_id=vip.pk, tier_id=tiers_of(vip)[0].pk, reason="Upgrade VIP",
                                     idempotency_key=str(uuid.uuid4()), payments=[cash(tendered=400_00)])
    assert new.credit_cents == 250_00 and new.credit_methods == {"card": 150_00, "pix": 100_00}
    outcome = refunds.refund_tickets(manager, new, reason="Desistiu do VIP",
                                     references={"card": "REV-9", "pix": "PIXBACK-9"})
    assert {r.method: r.amount_cents for r in outcome.order.refunds} == {"cash": 350_00, "card": 150_00,
                                                                         "pix": 100_00}
    nets = {m: r["net_cents"] for m, r in _methods_today().items()}
    assert nets == {"cash": 0, "card": 0, "pix": 0, "exchange": 0}
    assert min(shifts.current_shift(manager).totals_by_method.values()) >= 0
