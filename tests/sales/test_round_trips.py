"""What a sale costs the database: its MongoDB operations are counted, so a change that adds round trips shows."""
import uuid

from tests.factories import tiers_of
from tests.sale_fixtures import cash
from webapp import db
from webapp.models import Hold, Inventory
from webapp.models.base import utcnow
from webapp.services import inventory, sales

from .test_holds import LATER


def _operations():
    """Operations the server has run so far: inserts, queries, updates, deletes, getMores and commands."""
    counters = db.database().command("serverStatus")["opcounters"]
    return sum(counters[k] for k in ("insert", "query", "update", "delete", "getmore", "command"))


def test_a_sale_costs_at_most_thirteen_operations(ctx, seller, show):
    """Show and tiers read once, together (one aggregate), the hold (its record, then tier and show counters in one
    ordered bulk, which also clears the marks the previous sale left), the transaction's seven writes and its
    commit: 13 operations in 11 round trips (the server counts a bulk's statements one by one). The sale made 28
    before they were cut, 17 while the show and its tiers were read apart and each sale cleared its own marks, 14
    while its UTC-hour figures had a collection of their own (a second bucket write) instead of riding in the day's."""
    tier = tiers_of(show)[0]

    def sell():
        return sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 2}, payments=[cash()],
                          idempotency_key=str(uuid.uuid4()))

    sell()  # the first sale creates the report buckets' documents (upserts) like any other: warm nothing up
    before = _operations()
    order = sell()
    spent = _operations() - before - 1  # serverStatus itself is one command
    assert order.ticket_count == 2
    assert spent <= 13, spent


def test_the_sweeper_notes_sold_holds_tidy_in_one_batch(ctx, seller, show):
    tier = tiers_of(show)[0]
    for _ in range(3):
        sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 1}, payments=[cash()],
                   idempotency_key=str(uuid.uuid4()))
    assert Hold.objects(status="sold", tidy=0).count() == 3  # the next take clears a sale's marks, not the note
    marks = {key for c in Inventory.objects(event_id=show.pk) for key in c.holds}
    assert marks == {str(Hold.objects.order_by("-sold_at").first().pk)}  # only the last sale's wait
    assert inventory.sweep(utcnow() + LATER) == 0
    assert Hold.objects(status="sold", tidy=1).count() == 3 and Inventory.objects.get(
        key=Inventory.tier_key(tier.pk)).sold == 3
