"""Races against the real replica set: never oversold, never sold twice."""
import random
import threading
import uuid

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import cash
from webapp.models import Inventory, Order, Ticket
from webapp.services import ServiceError, sales, shifts


def _race(app, jobs):
    """Run each job(…) in its own thread, all released at once; returns [(result|exception)]."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        with app.test_request_context():
            barrier.wait()
            try:
                results[i] = job()
            except Exception as exc:  # noqa: BLE001 - every outcome is inspected below
                results[i] = exc

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_32_buyers_race_for_100_seats(app, make_user):
    """Each of 32 threads keeps buying 1–4 tickets until the show is sold out."""
    with app.test_request_context():
        event = make_event(title="Disputado", capacity=300, tiers=(("Única", 50_00, 100),))
        tier = tiers_of(event)[0]
        sellers = [make_user("seller") for _ in range(4)]
        for s in sellers:
            shifts.open_shift(s, 0)

    def buyer(i):
        def buy_until_sold_out():
            rng, outcomes = random.Random(i), []
            while True:
                try:
                    outcomes.append(sales.sell(sellers[i % 4], event_id=str(event.pk),
                                               quantities={str(tier.pk): rng.randint(1, 4)},
                                               payments=[cash()], idempotency_key=str(uuid.uuid4())))
                except ServiceError as exc:
                    outcomes.append(exc)
                    if "Esgotado" in exc.message:
                        return outcomes
        return buy_until_sold_out

    outcomes = [o for result in _race(app, [buyer(i) for i in range(32)]) for o in result]

    sold = [o for o in outcomes if isinstance(o, Order)]
    refused = [o for o in outcomes if not isinstance(o, Order)]
    assert len(refused) >= 32
    assert all(isinstance(r, ServiceError) and ("Esgotado" in r.message or "Só rest" in r.message) for r in refused)
    for order in sold:
        assert Ticket.objects(order_id=order.pk).count() == order.ticket_count
    counter = Inventory.objects.get(key=Inventory.tier_key(tier.pk))
    total = Inventory.objects.get(key=Inventory.event_key(event.pk))
    assert (counter.sold, counter.remaining, counter.quota) == (100, 0, 100)
    assert total.sold + total.remaining == total.quota and total.remaining == 200
    assert Ticket.objects(event_id=event.pk).count() == 100 == sum(o.ticket_count for o in sold)
    assert Order.objects.count() == len(sold)


def test_the_same_key_sent_10_times_at_once_makes_one_order(app, seller, show):
    tier = tiers_of(show)[0]
    key = str(uuid.uuid4())
    results = _race(app, [lambda: sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 2},
                                             payments=[cash()], idempotency_key=key)] * 10)
    assert all(isinstance(r, Order) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Order.objects.count() == 1 and Ticket.objects.count() == 2
    assert Inventory.objects.get(key=Inventory.tier_key(tier.pk)).sold == 2
    assert shifts.current_shift(seller).totals_by_method == {"cash": 200_00}
