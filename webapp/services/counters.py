"""The catalog's side of the inventory counters: created, re-sized and removed only inside a transaction.

Every write keeps sold + blocked + remaining = quota (blocked: seats managers hold back, see
inventory.settle_blocked), and the filters refuse a quota below what is already sold even
if a sale commits between our read and our write (the transaction then conflicts and is retried).
"""
from flask_babel import gettext as _

from ..models import Inventory
from . import Conflict


def _collection():
    return Inventory._get_collection()


def create_counter(session, key, kind, event_id, quota, ticket_type_id=None):
    """Insert a fresh counter (nothing sold) inside `session`'s transaction."""
    doc = Inventory(key=key, kind=kind, event_id=event_id, ticket_type_id=ticket_type_id, quota=quota, sold=0,
                    remaining=quota)
    doc.validate()
    _collection().insert_one(doc.to_mongo(), session=session)


def resize_counter(session, key, quota, field=None):
    """Set a counter's quota (remaining follows); Conflict when `quota` is below what is already sold."""
    result = _collection().update_one(
        {"_id": key, "sold": {"$lte": quota}},
        [{"$set": {"quota": quota,
                   "remaining": {"$subtract": [quota, {"$add": ["$sold", {"$ifNull": ["$blocked", 0]}]}]}}}],
        session=session)
    if result.matched_count == 0:
        current = _collection().find_one({"_id": key}, session=session) or {}
        raise Conflict(_("%(sold)d tickets are already sold: the quantity cannot be lower than that.",
                         sold=current.get("sold", 0)), field)


def sold_in(session, key):
    """What a counter has sold, read inside `session`'s transaction."""
    return (_collection().find_one({"_id": key}, {"sold": 1}, session=session) or {}).get("sold", 0)


def delete_counter(session, key):
    """Remove a counter with nothing sold; Conflict otherwise (the caller should cancel instead)."""
    result = _collection().delete_one({"_id": key, "sold": 0}, session=session)
    if result.deleted_count == 0 and _collection().count_documents({"_id": key}, session=session):
        raise Conflict(_("Tickets were already sold: this cannot be deleted. Cancel the show instead."))


def counters_for(event_id):
    """{key: Inventory} of a show (event, concession and each tier)."""
    return {c.key: c for c in Inventory.objects(event_id=event_id)}


def event_counters(event_ids):
    """{event id: its total counter} for many shows in one query (lists of shows)."""
    return {c.event_id: c for c in Inventory.objects(kind="event", event_id__in=list(event_ids))}


def sold_of(event_id):
    """Tickets sold for the show (its total counter)."""
    counter = Inventory.objects(key=Inventory.event_key(event_id)).first()
    return counter.sold if counter else 0
