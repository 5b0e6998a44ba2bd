"""Voids and refunds: seats and money go back exactly once, in the right shift, with every refusal clean."""
import threading
from datetime import timedelta

import pytest

from tests.factories import tiers_of
from tests.sale_fixtures import card, cash
from webapp.models import AuditEntry, Event, Inventory, Order, Shift, Ticket
from webapp.models.base import utcnow
from webapp.services import ServiceError, refunds, shifts


def sold(event):
    return Inventory.objects.get(key=Inventory.event_key(event.pk)).sold


def codes(order):
    return [t.code for t in Ticket.objects(order_id=order.pk).order_by("id")]


def test_void_whole_cash_order_gives_back_seats_and_drawer_cash(sell, seller, show):
    order = sell(seller, {0: 2}, payments=[cash(tendered=250_00)])
    outcome = refunds.void_tickets(seller, order)
    assert outcome.amount_cents == 200_00 and len(outcome.tickets) == 2 and not outcome.repeated
    assert outcome.order.status == "voided" and outcome.order.refunded_cents == 200_00
    assert {t.status for t in Ticket.objects(order_id=order.pk)} == {"void"}
    assert sold(show) == 0 and Inventory.objects.get(key=Inventory.tier_key(tiers_of(show)[0].pk)).remaining == 100
    shift = shifts.current_shift(seller)
    assert shift.totals_by_method["cash"] == 0 and shift.expected_cash == 100_00  # only the float is left
    assert AuditEntry.objects(action="void", order_number=order.number).count() == 1
    again = refunds.void_tickets(seller, outcome.order)
    assert again.repeated and again.amount_cents == 0
    assert sold(show) == 0 and shifts.current_shift(seller).expected_cash == 100_00
    assert AuditEntry.objects(action="void").count() == 1


def test_partial_void_keeps_the_rest_of_the_order(sell, seller, show):
    order = sell(seller, {0: 3}, payments=[cash(amount=100_00), {"method": "card", "amount_cents": None,
                                                                   "auth_code": "XYZ9"}])
    first = codes(order)[0]
    outcome = refunds.void_tickets(seller, order, [first])
    assert outcome.order.status == "partially_refunded" and outcome.amount_cents == 100_00
    assert [(r.method, r.amount_cents) for r in outcome.refunds] == [("cash", 100_00)]  # cash goes back first
    assert Ticket.objects.get(code=first).status == "void" and Ticket.objects(order_id=order.pk, status="valid").count() == 2
    assert sold(show) == 2
    shift = shifts.current_shift(seller)
    assert shift.totals_by_method == {"cash": 0, "card": 200_00} and shift.expected_cash == 100_00


def test_void_refused_outside_the_shift_or_after_the_show_starts(sell, seller, show, make_user, ctx):
    order = sell(seller, {0: 1})
    other = make_user("seller")
    shifts.open_shift(other, 0)
    with pytest.raises(ServiceError, match="turno"):
        refunds.void_tickets(other, order)
    Event.objects(pk=show.pk).update_one(set__starts_at=utcnow() - timedelta(minutes=1))
    with pytest.raises(ServiceError, match="começou"):
        refunds.void_tickets(seller, order)
    Event.objects(pk=show.pk).update_one(set__starts_at=utcnow() + timedelta(days=1))
    shifts.close_shift(seller, shifts.current_shift(seller), 200_00)
    with pytest.raises(ServiceError, match="turno"):
        refunds.void_tickets(seller, order)
    assert Ticket.objects.get(order_id=order.pk).status == "valid" and sold(show) == 1
    assert Order.objects.get(pk=order.pk).refunded_cents == 0


def test_manager_cash_refund_comes_out_of_the_managers_drawer(sell, seller, manager, show):
    order = sell(seller, {0: 2}, payments=[cash(amount=100_00), card()])
    with pytest.raises(ServiceError, match="motivo|Diga"):
        refunds.refund_tickets(manager, order, method="cash", reason="")
    with pytest.raises(ServiceError, match="Pix"):  # nothing was paid by Pix: nothing can go back by Pix
        refunds.refund_tickets(manager, order, method="pix", reason="Cliente desistiu")
    outcome = refunds.refund_tickets(manager, order, codes(order)[:1], method="cash", reason="Cliente desistiu")
    assert outcome.amount_cents == 100_00 and outcome.order.status == "partially_refunded"
    assert shifts.current_shift(manager).cash_refunds_cents == 100_00
    assert shifts.current_shift(manager).expected_cash == 400_00
    # the sale's shift is not touched
    assert shifts.current_shift(seller).totals_by_method == {"cash": 100_00, "card": 100_00}
    with pytest.raises(ServiceError, match="referência"):
        refunds.refund_tickets(manager, outcome.order, method="card", reason="Desistiu")
    rest = refunds.refund_tickets(manager, outcome.order, method="card", reference="REV-0001", reason="Desistiu")
    assert rest.amount_cents == 100_00 and rest.order.status == "refunded" and rest.order.refunded_cents == 200_00
    assert [r.method for r in rest.order.refunds] == ["cash", "card"] and sold(show) == 0
    entry = AuditEntry.objects(action="refund").order_by("-at").first()
    assert entry.reason == "Desistiu" and entry.after["amount_cents"] == 100_00


def test_comps_refund_nothing(sell, seller, manager):
    order = sell(seller, {0: 1}, payments=[{"method": "comp", "comp_reason": "Convidado da casa"}])
    outcome = refunds.refund_tickets(manager, order, method="cash", reason="Convite cancelado")
    assert outcome.amount_cents == 0 and outcome.order.status == "refunded"
    assert outcome.refunds[0].method == "comp" and shifts.current_shift(manager).cash_refunds_cents == 0


def test_refund_needs_manager_and_a_show_not_over(sell, seller, manager, show):
    order = sell(seller, {0: 1})
    with pytest.raises(ServiceError, match="gerente"):
        refunds.refund_tickets(seller, order, method="cash", reason="Quero refund")
    Event.objects(pk=show.pk).update_one(set__ends_at=utcnow() - timedelta(minutes=1))
    with pytest.raises(ServiceError, match="terminou"):
        refunds.refund_tickets(manager, order, method="cash", reason="Tarde demais")
    assert sold(show) == 1


def test_used_ticket_needs_an_audited_manager_override(sell, seller, manager, show):
    order = sell(seller, {0: 2})
    used = codes(order)[0]
    Ticket.objects(code=used).update_one(set__status="used", set__used_at=utcnow())
    with pytest.raises(ServiceError, match="usad"):
        refunds.refund_tickets(manager, order, method="cash", reason="Passou mal")
    assert sold(show) == 2 and Ticket.objects(order_id=order.pk, status="void").count() == 0
    outcome = refunds.refund_tickets(manager, order, [used], method="cash", reason="Passou mal",
                                     override_used=True, override_reason="Saiu no intervalo, gerente viu")
    assert outcome.tickets == [used] and outcome.amount_cents == 100_00 and sold(show) == 1
    override = AuditEntry.objects.get(action="refund.override")
    assert override.after["used_tickets"] == [used] and override.reason == "Saiu no intervalo, gerente viu"
    assert override.username == manager.username


def test_same_key_returns_the_same_outcome(sell, seller, manager, show):
    order = sell(seller, {0: 2})
    first = refunds.refund_tickets(manager, order, codes(order)[:1], method="cash", reason="Desistiu",
                                   idempotency_key="refund-key-0001")
    again = refunds.refund_tickets(manager, first.order, codes(order)[:1], method="cash", reason="Desistiu",
                                   idempotency_key="refund-key-0001")
    assert again.repeated and again.tickets == first.tickets and again.amount_cents == 100_00
    assert Order.objects.get(pk=order.pk).refunded_cents == 100_00 and sold(show) == 1
    assert shifts.current_shift(manager).cash_refunds_cents == 100_00


def test_concurrent_double_refund_returns_inventory_once(app, sell, seller, manager, show):
    order = sell(seller, {0: 2}, payments=[card()])
    target = codes(order)[:1]
    outcomes, errors, barrier = [], [], threading.Barrier(4)

    def refund():
        with app.test_request_context():
            barrier.wait()
            try:
                outcomes.append(refunds.refund_tickets(manager, order, target, method="card", reference="REV-777",
                                                       reason="Pedido em dobro"))
            except Exception as exc:  # noqa: BLE001 — the test reports it below
                errors.append(exc)

    threads = [threading.Thread(target=refund) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(o.repeated for o in outcomes) == [False, True, True, True]
    assert sold(show) == 1 and Inventory.objects.get(key=Inventory.tier_key(tiers_of(show)[0].pk)).remaining == 99
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.refunded_cents == 100_00 and len(fresh.refunds) == 1
    assert AuditEntry.objects(action="refund").count() == 1
    assert Shift.objects.get(seller_id=seller.pk).totals_by_method == {"card": 200_00}


def test_the_audit_trail_keeps_the_reversal_references_of_a_refund(sell, seller, manager, show):
    """Card reversal and Pix refund references were kept on the order only: the audit entry of the refund, which an
    auditor matches against the terminal's reversals, said the amounts and not which reversal paid them."""
    from webapp.services.audit_text import changes
    from tests.sale_fixtures import pix

    order = sell(seller, {0: 2}, payments=[{**card(), "amount_cents": 100_00}, pix()])
    refunds.refund_tickets(manager, order, reason="Cliente desistiu", references={"card": "EST-41", "pix": "DEV-42"},
                           idempotency_key="refund-key-references")
    entry = AuditEntry.objects.get(action="refund")
    assert entry.after["references"] == {"card": "EST-41", "pix": "DEV-42"}
    rows = {label: new for label, _old, new in changes(entry.before, entry.after, "Order")}
    assert rows["Referências dos estornos"] == "Cartão EST-41, Pix DEV-42"
