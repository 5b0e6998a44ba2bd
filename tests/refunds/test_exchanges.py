"""Exchanges: one transaction moves tickets to another show or tier; no room → refused with nothing changed."""
import pytest

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import card, cash
from webapp.models import AuditEntry, Inventory, Order, OutboxMessage, Shift, Ticket
from webapp.services import Conflict, ServiceError, exchanges, shifts


def snapshot():
    return ({c.pk: (c.sold, c.remaining) for c in Inventory.objects},
            {t.code: t.status for t in Ticket.objects}, [(o.number, o.status, o.refunded_cents) for o in Order.objects],
            {s.pk: (s.cash_refunds_cents, dict(s.totals_by_method)) for s in Shift.objects}, OutboxMessage.objects.count())


def codes(order):
    return [t.code for t in Ticket.objects(order_id=order.pk).order_by("id")]


def test_exchange_into_a_sold_out_show_changes_nothing(sell, seller, manager, show):
    full = make_event(title="Lotado", tiers=(("Pista", 100_00, 2),))
    sell(seller, {0: 2}, event=full)
    order = sell(seller, {0: 2})
    before = snapshot()
    with pytest.raises(Conflict, match="Esgotado|esgotado"):
        exchanges.exchange_tickets(manager, order, codes(order)[:1], event_id=full.pk, tier_id=tiers_of(full)[0].pk,
                                   reason="Cliente prefere outro dia", idempotency_key="exchange-key-01")
    assert snapshot() == before
    assert AuditEntry.objects(action="exchange").count() == 0


def test_exchange_to_a_dearer_tier_takes_the_difference(sell, seller, manager, show):
    vip = make_event(title="Samba VIP", tiers=(("VIP", 150_00, 10),))
    order = sell(seller, {0: 2}, payments=[cash()], customer={"email": "ana@example.com"})
    old = codes(order)
    with pytest.raises(ServiceError, match="autorização"):
        exchanges.exchange_tickets(manager, order, old, event_id=vip.pk, tier_id=tiers_of(vip)[0].pk,
                                   reason="Upgrade", idempotency_key="exchange-key-02", payments=[{"method": "card"}])
    new = exchanges.exchange_tickets(manager, order, old, event_id=vip.pk, tier_id=tiers_of(vip)[0].pk,
                                     reason="Upgrade", idempotency_key="exchange-key-02", payments=[card("UPG123")])
    assert new.exchanged_from == order.number and new.total_cents == 300_00 and new.credit_cents == 200_00
    assert [(p.method, p.amount_cents) for p in new.payments] == [("card", 100_00)]
    fresh = Ticket.objects(order_id=new.pk)
    assert fresh.count() == 2 and not {t.code for t in fresh} & set(old) and {t.event_id for t in fresh} == {vip.pk}
    assert {t.status for t in Ticket.objects(code__in=old)} == {"void"}
    assert Inventory.objects.get(key=Inventory.event_key(show.pk)).sold == 0
    assert Inventory.objects.get(key=Inventory.event_key(vip.pk)).sold == 2
    assert Order.objects.get(pk=order.pk).status == "exchanged"  # not "refunded": no money went back
    assert shifts.current_shift(manager).totals_by_method == {"card": 100_00}
    assert OutboxMessage.objects(order_number=new.number).count() == 1  # new tickets e-mailed by the confirmation
    again = exchanges.exchange_tickets(manager, order, old, event_id=vip.pk, tier_id=tiers_of(vip)[0].pk,
                                       reason="Upgrade", idempotency_key="exchange-key-02", payments=[card("UPG123")])
    assert again.pk == new.pk and Inventory.objects.get(key=Inventory.event_key(vip.pk)).sold == 2


def test_exchange_to_a_cheaper_tier_gives_the_difference_back(sell, seller, manager, show):
    cheap = make_event(title="Matinê", tiers=(("Plateia", 60_00, 10),))
    order = sell(seller, {0: 2}, payments=[cash()])
    one = codes(order)[:1]
    target = {"event_id": cheap.pk, "tier_id": tiers_of(cheap)[0].pk, "reason": "Matinê"}
    # Paid in cash, so the difference goes back in cash, from the manager's drawer: nothing to choose.
    new = exchanges.exchange_tickets(manager, order, one, idempotency_key="exchange-key-03", **target)
    assert new.total_cents == 60_00 and new.credit_cents == 60_00 and new.payments == []
    assert new.credit_methods == {"cash": 60_00}
    old = Order.objects.get(pk=order.pk)
    assert old.status == "partially_refunded" and old.refunded_cents == 100_00
    assert [(r.method, r.amount_cents) for r in old.refunds] == [("exchange", 60_00), ("cash", 40_00)]
    assert shifts.current_shift(manager).cash_refunds_cents == 40_00
    assert Inventory.objects.get(key=Inventory.event_key(show.pk)).sold == 1
    assert AuditEntry.objects.get(action="exchange").after["difference_cents"] == -40_00


def test_a_downgrade_still_needs_the_reference_of_a_card_reversal(sell, seller, manager, show):
    cheap = make_event(title="Matinê", tiers=(("Plateia", 60_00, 10),))
    order = sell(seller, {0: 1}, payments=[card()])
    target = {"event_id": cheap.pk, "tier_id": tiers_of(cheap)[0].pk, "reason": "Matinê"}
    before = snapshot()
    with pytest.raises(ServiceError, match="referência"):
        exchanges.exchange_tickets(manager, order, codes(order), idempotency_key="exchange-key-04",
                                   refund_references={"card": " "}, **target)
    assert snapshot() == before
    exchanges.exchange_tickets(manager, order, codes(order), idempotency_key="exchange-key-04",
                               refund_references={"card": "REV-0042"}, **target)
    assert [(r.method, r.reference) for r in Order.objects.get(pk=order.pk).refunds][1] == ("card", "REV-0042")


def test_the_shows_to_exchange_into_come_one_show_at_a_time_soonest_first(ctx, show):
    # Each show's tiers are numbered from 0: ordered by that number alone, the list interleaved every show's first
    # tier, then every show's second... and a manager looked through all of it for one show's tiers.
    make_event(title="Gala", days_ahead=9, tiers=(("Plateia", 150_00, 10), ("Balcão", 90_00, 10)))
    make_event(title="Tango", days_ahead=3, tiers=(("Pista", 80_00, 10),), concession_tiers=(("Meia", 40_00, 5),))
    listed = [(t["event"].title, t["name"]) for t in exchanges.exchange_targets()]
    assert listed == [("Tango", "Pista"), ("Tango", "Meia"), ("Noite de Samba", "Inteira"), ("Noite de Samba", "Meia"),
                      ("Gala", "Plateia"), ("Gala", "Balcão")]


def test_an_order_refunded_in_part_then_exchanged_reads_refunded(sell, seller, manager, show):
    """Exchanged only when every ticket left by exchange; with money given back as well it is a refunded order."""
    from webapp.services import refunds

    order = sell(seller, {0: 2}, payments=[cash()])
    first, second = codes(order)
    refunds.refund_tickets(manager, order, [first], reason="Um não vem", idempotency_key="refund-key-before-x")
    other = make_event(title="Matinê", tiers=(("Plateia", 100_00, 10),))
    exchanges.exchange_tickets(manager, Order.objects.get(pk=order.pk), [second], event_id=other.pk,
                               tier_id=tiers_of(other)[0].pk, reason="Outro dia", idempotency_key="exchange-key-05")
    assert Order.objects.get(pk=order.pk).status == "refunded"
