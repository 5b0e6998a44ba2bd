"""Repeats and follow-ups of an exchange: the retry of one that went through, a void of the order it made."""
from tests.factories import make_event, tiers_of
from tests.sale_fixtures import cash
from webapp.models import Order, Ticket
from webapp.services import exchanges, orders, refunds, shifts


def codes(order):
    return [t.code for t in Ticket.objects(order_id=order.pk).order_by("id")]


def test_an_exchange_sent_again_after_it_went_through_returns_the_same_new_order(sell, seller, manager, show):
    vip = make_event(title="Samba VIP", tiers=(("VIP", 100_00, 10),))
    order = sell(seller, {0: 2})
    target = {"event_id": vip.pk, "tier_id": tiers_of(vip)[0].pk, "reason": "Outro dia",
              "idempotency_key": "exchange-retry-1"}
    new = exchanges.exchange_tickets(manager, order, codes(order), **target)
    # The retry (network hiccup, reload) comes through the view, which loads the order afresh: now refunded.
    again = exchanges.exchange_tickets(manager, orders.get_order(order.number), codes(order), **target)
    assert again.pk == new.pk
    assert Order.objects(exchanged_from=order.number).count() == 1


def test_voiding_an_exchanged_order_takes_all_its_cash_off_the_shift(sell, seller, manager, show):
    vip = make_event(title="Samba VIP", tiers=(("VIP", 150_00, 10),))
    order = sell(seller, {0: 1})
    new = exchanges.exchange_tickets(manager, order, codes(order), event_id=vip.pk, tier_id=tiers_of(vip)[0].pk,
                                     reason="Upgrade", idempotency_key="exchange-void-1", payments=[cash()])
    assert shifts.current_shift(manager).totals_by_method == {"cash": 50_00}
    outcome = refunds.void_tickets(manager, new)
    # 50,00 paid in this shift and 100,00 brought from the old order: 150,00 in cash left the drawer.
    assert outcome.amount_cents == 150_00
    shift = shifts.current_shift(manager)
    assert shift.cash_refunds_cents == 150_00
    # The shift's cash sales lose only what this order put in them: no per-method total goes negative.
    assert shift.totals_by_method == {"cash": 0}
