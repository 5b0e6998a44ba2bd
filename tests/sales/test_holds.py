"""Holds: places taken outside transactions, then converted by the sale — races, expiry, dead processes."""
import os
import signal
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import cash
from tests.sales.test_concurrency import _race
from webapp.models import Hold, Inventory, Order, Ticket
from webapp.models.base import utcnow
from webapp.services import ServiceError, aggregates, inventory, pos, sales, shifts

LATER = timedelta(hours=1)  # a sweep "an hour from now": every hold taken in the test has expired by then


def _counter(key):
    return Inventory.objects.get(key=key)


def _no_marks(event):
    """No counter still names a hold (each was given back or tidied exactly once), once the marks of holds this
    process sold, left for the next take to clear, are cleared."""
    inventory._Untidy.flush()
    return all(not c.holds for c in Inventory.objects(event_id=event.pk))


def test_64_concurrent_holds_for_the_last_10_places_grant_exactly_10(app, make_user):
    with app.test_request_context():
        event = make_event(title="Últimos", capacity=300, tiers=(("Única", 50_00, 10),))
        tier = tiers_of(event)[0]
        sellers = [make_user("seller") for _ in range(8)]
        for s in sellers:
            shifts.open_shift(s, 0)

    jobs = [lambda i=i: sales.hold_places(sellers[i % 8], event_id=str(event.pk), quantities={str(tier.pk): 1})
            for i in range(64)]
    results = _race(app, jobs)
    granted = [r for r in results if isinstance(r, Hold)]
    refused = [r for r in results if isinstance(r, sales.SoldOut)]
    assert len(granted) == 10 and len(refused) == 54, [r for r in results if not isinstance(r, (Hold, sales.SoldOut))]
    assert {str(r) for r in refused} == {"Esgotado: Única."}
    tier_counter = _counter(Inventory.tier_key(tier.pk))
    assert (tier_counter.remaining, tier_counter.sold) == (0, 10)
    assert _counter(Inventory.event_key(event.pk)).sold == 10
    with app.test_request_context():  # the ten holds are released: every place is back, once
        for hold in granted:
            assert inventory.release(hold.pk)
            assert not inventory.release(hold.pk)
    assert _counter(Inventory.tier_key(tier.pk)).remaining == 10
    assert _no_marks(event)


def test_a_sale_commits_against_its_hold_and_a_wrong_payment_keeps_the_hold(ctx, seller, show):
    tier = tiers_of(show)[0]
    hold = sales.hold_places(seller, event_id=str(show.pk), quantities={str(tier.pk): 3})
    assert _counter(Inventory.tier_key(tier.pk)).remaining == 97
    with pytest.raises(ServiceError):  # R$ 300,00 with R$ 50,00 of cash: refused, the places stay held
        sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 3}, payments=[cash(tendered=50_00)],
                   idempotency_key=str(uuid.uuid4()), hold_id=str(hold.pk))
    assert Hold.objects.get(pk=hold.pk).status == "held"
    with pytest.raises(ServiceError, match="não são os reservados"):
        sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 2}, payments=[cash()],
                   idempotency_key=str(uuid.uuid4()), hold_id=str(hold.pk))
    order = sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 3}, payments=[cash()],
                       idempotency_key=str(uuid.uuid4()), hold_id=str(hold.pk))
    assert order.ticket_count == 3 and Hold.objects.get(pk=hold.pk).status == "sold"
    counter = _counter(Inventory.tier_key(tier.pk))
    assert (counter.remaining, counter.sold) == (97, 3) and _no_marks(show)
    inventory.sweep(utcnow() + LATER)  # a sold hold is never given back
    assert _counter(Inventory.tier_key(tier.pk)).remaining == 97


def test_a_hold_expiring_while_its_sale_commits_has_one_outcome(ctx, seller, show, monkeypatch):
    """The sweeper releases the hold half-way through the sale's transaction: the sale is refused, the places
    come back once, nothing is sold."""
    real, fired = aggregates.record_sale, []

    def record_sale(session, order):
        if not fired:
            fired.append(inventory.sweep(utcnow() + LATER))
        return real(session, order)

    monkeypatch.setattr(aggregates, "record_sale", record_sale)
    with pytest.raises(inventory.HoldGone, match="expirou"):
        sales.sell(seller, event_id=str(show.pk), quantities={str(tiers_of(show)[0].pk): 4}, payments=[cash()],
                   idempotency_key=str(uuid.uuid4()))
    assert fired == [1]
    assert Order.objects.count() == 0 and Ticket.objects.count() == 0
    counter = _counter(Inventory.event_key(show.pk))
    assert (counter.remaining, counter.sold) == (counter.quota, 0) and _no_marks(show)


def test_a_sale_that_converted_first_keeps_its_places_from_the_sweeper(ctx, seller, show, monkeypatch):
    """The other order of the same race: the sale converts, then a late sweep finds nothing to release."""
    order = sales.sell(seller, event_id=str(show.pk), quantities={str(tiers_of(show)[0].pk): 4}, payments=[cash()],
                       idempotency_key=str(uuid.uuid4()))
    assert inventory.sweep(utcnow() + LATER) == 0
    assert _counter(Inventory.event_key(show.pk)).sold == 4 == order.ticket_count


_DIE_AFTER_HOLD = """
import os, signal, sys, time
from webapp import create_app
from webapp.models import User
from webapp.services import inventory, sales
app = create_app()
with app.test_request_context():
    seller = User.objects.get(pk=sys.argv[1])
    if sys.argv[4] == "mid-way":  # killed once the counters are taken, before the hold is confirmed held
        real = inventory._take_counters
        def take(*args):
            real(*args)
            os.kill(os.getpid(), signal.SIGKILL)
        inventory._take_counters = take
    hold = sales.hold_places(seller, event_id=sys.argv[2], quantities={sys.argv[3]: 2})
    print(hold.pk, flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("when", ["after the hold", "mid-way"])
def test_a_process_killed_between_hold_and_sale_gives_the_places_back_after_expiry(ctx, seller, show, when):
    tier = tiers_of(show)[0]
    child = subprocess.Popen([sys.executable, "-c", _DIE_AFTER_HOLD, str(seller.pk), str(show.pk), str(tier.pk),
                              when], stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        if when == "after the hold":
            assert child.stdout.readline().strip()
            os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(60)
    assert Hold.objects.get().status == ("held" if when == "after the hold" else "taking")
    assert _counter(Inventory.tier_key(tier.pk)).remaining == 98
    assert inventory.sweep() == 0  # not expired yet: a slow customer keeps the places
    assert inventory.sweep(utcnow() + LATER) == 1
    for key in (Inventory.tier_key(tier.pk), Inventory.event_key(show.pk)):
        counter = _counter(key)
        assert counter.remaining == counter.quota and counter.sold == 0
    assert Hold.objects.count() == 0 and Order.objects.count() == 0 and _no_marks(show)
    assert inventory.sweep(utcnow() + LATER) == 0


def test_a_double_click_takes_one_hold_and_sells_once(app, ctx, seller, show):
    tier, key = tiers_of(show)[0], str(uuid.uuid4())

    def buy():
        return sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 2}, payments=[cash()],
                          idempotency_key=key)

    results = _race(app, [buy] * 4)
    assert len({r.number for r in results}) == 1, results
    assert _counter(Inventory.tier_key(tier.pk)).sold == 2
    assert Hold.objects(status="sold").count() == 1 and Hold.objects(status__in=["held", "taking"]).count() == 0


def test_the_preview_and_the_hold_refuse_on_the_show_counter_too(ctx, seller):
    """A tier with room on a show with 1 place left: preview and sale say the same."""
    event = make_event(title="Quase cheio", capacity=3, tiers=(("Pista", 10_00, 3), ("Camarote", 20_00, 3)))
    pista, camarote = tiers_of(event)
    sales.sell(seller, event_id=str(event.pk), quantities={str(pista.pk): 2}, payments=[cash()],
               idempotency_key=str(uuid.uuid4()))
    problem = pos.preview(str(event.pk), {str(camarote.pk): 2}, {}, [])["problem"]
    assert problem == "Só resta 1: Quase cheio."
    with pytest.raises(sales.SoldOut, match="Só resta 1: Quase cheio."):
        sales.sell(seller, event_id=str(event.pk), quantities={str(camarote.pk): 2}, payments=[cash()],
                   idempotency_key=str(uuid.uuid4()))
    assert _counter(Inventory.tier_key(camarote.pk)).remaining == 3 and Hold.objects(status="held").count() == 0


def test_the_relay_sweeps_expired_holds(ctx, seller, show):
    from webapp.services import outbox

    tier = tiers_of(show)[0]
    hold = sales.hold_places(seller, event_id=str(show.pk), quantities={str(tier.pk): 5})
    Hold.objects(pk=hold.pk).update_one(set__expires_at=utcnow() - timedelta(seconds=1))
    outbox.run_relay(once=True)
    assert Hold.objects(pk=hold.pk).count() == 0
    assert _counter(Inventory.tier_key(tier.pk)).remaining == 100 and _no_marks(show)


def test_void_refund_exchange_and_cancellation_give_places_back_once_through_the_inventory(
        ctx, seller, manager, show, make_user, monkeypatch):
    from webapp.services import cancellation, exchanges, lifecycle, refunds

    calls, real = [], inventory.give_back
    monkeypatch.setattr(inventory, "give_back", lambda *a: calls.append(a[2]) or real(*a))
    tier = tiers_of(show)[0]
    order = sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 4}, payments=[cash()],
                       idempotency_key=str(uuid.uuid4()))
    codes = [t.code for t in Ticket.objects(order_id=order.pk).order_by("code")]
    sold = lambda: _counter(Inventory.event_key(show.pk)).sold  # noqa: E731
    key = str(uuid.uuid4())
    for _ in range(2):  # the same void twice: once
        refunds.void_tickets(seller, order, [codes[0]], idempotency_key=key)
    assert sold() == 3
    for _ in range(2):
        refunds.refund_tickets(manager, Order.objects.get(pk=order.pk), [codes[1]], reason="desistiu", method="cash",
                               idempotency_key=str(uuid.uuid4()))
    assert sold() == 2
    other = make_event(title="Outra noite", tiers=(("Pista", 100_00, 10),))
    exchanges.exchange_tickets(manager, Order.objects.get(pk=order.pk), [codes[2]], event_id=str(other.pk),
                               tier_id=str(tiers_of(other)[0].pk), reason="troca de data",
                               idempotency_key=str(uuid.uuid4()))
    assert sold() == 1 and _counter(Inventory.event_key(other.pk)).sold == 1
    lifecycle.set_status(make_user("admin"), show.reload(), "cancelled")
    cancellation.refund_cancelled_show(str(show.pk))
    cancellation.refund_cancelled_show(str(show.pk))  # a job delivered twice
    assert sold() == 0 and _counter(Inventory.tier_key(tier.pk)).remaining == 100
    assert [sum(line["quantity"] for line in lines) for lines in calls] == [1, 1, 1, 1]
