"""Issue 11: each hot query of the sale, the relay and the sweeper is served by an index (mongod's explain() shows
no COLLSCAN and reads only what it returns), and the indexes cut from every sale's writes kept what they guarded."""
import uuid
from datetime import timedelta

import pytest
from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from tests.factories import tiers_of
from tests.sale_fixtures import cash
from webapp import db
from webapp.cli import OBSOLETE_INDEXES, ensure_indexes
from webapp.models import Hold, Order, Ticket
from webapp.models.base import utcnow
from webapp.services import inventory, refunds, sales


def _stages(plan):
    """Every stage of a winning plan, depth first: [(stage, index name or None)]."""
    found = [(plan.get("stage"), plan.get("indexName"))]
    for child in [plan.get("inputStage"), *plan.get("inputStages", [])]:
        if child:
            found += _stages(child)
    return found


def _explain(command):
    """(stages of the winning plan, keys examined, documents examined, documents returned) of one command."""
    answer = db.database().command("explain", command, verbosity="executionStats")
    planner = answer["queryPlanner"]
    plan = planner["winningPlan"].get("queryPlan", planner["winningPlan"])  # the slot engine nests it
    stats = answer["executionStats"]
    return _stages(plan), stats["totalKeysExamined"], stats["totalDocsExamined"], stats["nReturned"]


def _served_by(command, index):
    """The command's plan reads through `index` and never scans the collection; returns (keys, docs, returned)."""
    stages, keys, docs, returned = _explain(command)
    assert ("COLLSCAN", None) not in stages, stages
    assert index in {name for _stage, name in stages}, stages
    return keys, docs, returned


@pytest.fixture
def sold(ctx, seller, show):
    """Three sales of the show (so the collections hold other documents than the one a query wants)."""
    tier = tiers_of(show)[0]
    return [sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 1}, payments=[cash()],
                       idempotency_key=str(uuid.uuid4()), customer={"email": f"c{i}@example.com"})
            for i in range(3)]


def test_the_sale_finds_the_sellers_open_shift_through_the_one_open_shift_index(sold, seller):
    keys, docs, _n = _served_by({"findAndModify": "shifts", "query": {"seller_id": seller.pk, "status": "open"},
                                 "update": {"$inc": {"cash_in_cents": 0}}}, "one_open_shift_per_seller")
    assert keys <= 1 and docs <= 1


def test_key_look_ups_use_the_unique_indexes(sold, seller):
    order = sold[1]
    for collection, query, index in [
            ("orders", {"idempotency_key": order.idempotency_key}, "idempotency_key_1"),
            ("orders", {"number": order.number}, "number_1"),
            ("tickets", {"code": order.issued_tickets[0].code}, "code_1"),
            ("holds", {"idempotency_key": order.idempotency_key, "seller_id": seller.pk,
                       "status": {"$in": ["held", "taking"]}}, "idempotency_key_1")]:
        keys, docs, _n = _served_by({"find": collection, "filter": query}, index)
        assert keys <= 1 and docs <= 1, (collection, keys, docs)


def test_the_relay_claims_due_messages_through_the_status_indexes(sold):
    now = utcnow()
    _served_by({"find": "outbox", "filter": {"$or": [
        {"status": "pending", "available_at": {"$lte": now}},
        {"status": "dispatching", "claimed_at": {"$lt": now - timedelta(seconds=60)}}]},
        "sort": {"created_at": 1}, "limit": 1}, "status_1_created_at_1")


def test_the_sweeper_reads_only_stale_holds_and_sold_ones_not_tidy(sold, seller, show):
    untidy = {"find": "holds", "filter": {"status": "sold", "tidy": 0, "sold_at": {"$lte": utcnow()}},
              "hint": "sold_not_tidy"}  # as inventory.sweep asks
    assert _served_by(untidy, "sold_not_tidy") == (3, 3, 3)
    inventory.sweep(utcnow() + timedelta(hours=1))  # the three sold holds noted tidy
    sales.hold_places(seller, event_id=str(show.pk), quantities={str(tiers_of(show)[0].pk): 1})
    later = utcnow() + timedelta(hours=1)
    keys, docs, returned = _served_by({"find": "holds", "filter": {"$or": [
        {"status": {"$in": ["held", "taking"]}, "expires_at": {"$lte": later}}, {"status": "releasing"}]}},
        "status_1_expires_at_1")
    assert returned == 1 and docs == 1, (keys, docs)
    # Sold holds already tidied are not in this index at all: the sweeper's pass reads nothing.
    keys, docs, returned = _served_by({"find": "holds", "filter": {"status": "sold", "tidy": 0,
                                                                   "sold_at": {"$lte": later}}}, "sold_not_tidy")
    assert (keys, docs, returned) == (0, 0, 0)
    assert Hold.objects(status="sold").count() == 3


def test_a_status_change_fences_the_live_holds_without_reading_sold_ones(sold, seller, show):
    sales.hold_places(seller, event_id=str(show.pk), quantities={str(tiers_of(show)[0].pk): 1})
    keys, docs, _n = _served_by({"update": "holds", "updates": [{
        "q": {"event_id": show.pk, "status": {"$in": ["taking", "held"]}}, "u": {"$inc": {"fence": 1}},
        "multi": True}]}, "status_1_expires_at_1")
    assert keys <= 2 and docs == 1  # the one live hold; the three sold ones are not read


def test_the_failed_orders_list_reads_its_partial_indexes(sold):
    Order.objects(pk=sold[0].pk).update_one(set__email_status="failed")
    stages, _keys, docs, returned = _explain({"find": "orders", "filter": {"$or": [{"email_status": "failed"},
                                                                                   {"status": "failed"}]}})
    assert ("COLLSCAN", None) not in stages and {"failed_orders", "failed_emails"} <= {n for _s, n in stages}
    assert returned == docs == 1


def test_pending_refunds_read_only_the_orders_owing_one_and_settling_leaves_the_index(sold, manager):
    owed = sold[1]
    Order._get_collection().update_one({"_id": owed.pk}, {"$push": {"refunds": {  # as a cancelled show writes it
        "method": "cash", "amount_cents": 100_00, "status": "pending", "kind": "cancellation", "at": utcnow()}}})
    pending = {"find": "orders", "filter": refunds.PENDING_REFUNDS, "sort": {"created_at": 1}, "limit": 200}
    stages, keys, docs, returned = _explain(pending)
    assert ("COLLSCAN", None) not in stages and ("SORT", None) not in stages, stages  # the index gives the order
    assert "pending_refunds" in {n for _s, n in stages} and (keys, docs, returned) == (1, 1, 1)
    assert [(o.number, i) for o, i, _r in refunds.pending_refunds()] == [(owed.number, 0)]
    refunds.settle_refund(manager, owed.number, 0)
    assert _served_by(pending, "pending_refunds") == (0, 0, 0)  # settled: out of the index
    assert refunds.pending_refunds() == []


def test_the_order_search_by_document_or_email_uses_the_sparse_indexes(sold):
    stages, _keys, docs, returned = _explain({"find": "orders", "filter": {"$or": [
        {"customer.document": "c1@example.com"}, {"customer.email": "c1@example.com"}, {"_id": {"$in": []}}]}})
    assert ("COLLSCAN", None) not in stages, stages
    assert {"customer_document_sparse", "customer_email_sparse"} <= {n for _s, n in stages}
    assert returned == docs == 1
    _served_by({"find": "tickets", "filter": {"holder_document": "123"}}, "holder_document_sparse")


def test_the_door_counts_read_a_shows_tickets_by_index(sold, show):
    _served_by({"aggregate": "tickets", "pipeline": [{"$match": {"event_id": show.pk}},
                                                     {"$group": {"_id": "$gate", "n": {"$sum": 1}}}],
                "cursor": {}}, "event_id_1_status_1")


def test_uniqueness_survives_the_index_cut(sold):
    order, orders, tickets = sold[0], Order._get_collection(), Ticket._get_collection()
    twin = {**orders.find_one({"_id": order.pk}), "_id": ObjectId()}
    with pytest.raises(DuplicateKeyError):
        orders.insert_one({**twin, "idempotency_key": "other-key-1234"})  # same number
    with pytest.raises(DuplicateKeyError):
        orders.insert_one({**twin, "number": "000000-OTHER"})  # same idempotency key
    with pytest.raises(DuplicateKeyError):
        tickets.insert_one({**tickets.find_one({"order_id": order.pk}), "_id": ObjectId()})  # same code
    with pytest.raises(DuplicateKeyError):
        Hold._get_collection().insert_one({**Hold._get_collection().find_one({"order_id": order.pk}),
                                           "_id": ObjectId()})  # same sale key


def test_init_db_drops_the_indexes_no_query_needs(ctx):  # init-db reads the keep time of done messages
    database = db.database()
    database.orders.create_index("customer.name")
    database.tickets.create_index([("event_id", 1), ("gate", 1)])
    database.holds.create_index([("status", 1), ("tidy", 1), ("sold_at", 1)])
    database.holds.create_index([("event_id", 1), ("status", 1)])
    ensure_indexes()
    for collection, names in OBSOLETE_INDEXES.items():
        assert not set(names) & set(database[collection].index_information()), collection
    assert {"failed_orders", "customer_email_sparse", "number_1", "idempotency_key_1"} <= set(
        database.orders.index_information())
