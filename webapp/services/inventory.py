"""The one owner of taking and giving back places: the show, tier and concession counters, and the holds.

A sale first *holds* its places: one conditional single-document update per counter, outside any transaction
(concurrent sellers queue on the document's lock instead of aborting each other's transactions), each marking
the counter with the hold's id ("holds.<id>": places) so giving back happens once whatever dies where. The sale's
transaction then turns the hold into the order without touching the counters (`convert_in`). A hold not sold
is released by its seller, by the failed sale, or — its process dead — by `sweep` once it expired.

Counters keep sold + remaining = quota, where `sold` counts places held for a sale in progress too. The rare
writes that change counters inside a transaction (voids, refunds, exchanges, releases) live here as well.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from pymongo import ReturnDocument

from ..models import Hold, Inventory
from ..models.base import utcnow
from . import Conflict, ServiceError, seat_inventory as show_seats
from .seats import SeatTaken


class SoldOut(Conflict):
    """Not enough tickets left; the message says sold out or how many are left."""


class HoldGone(Conflict):
    """The hold expired or was released before the sale could use it: nothing was sold."""


def _counters():
    return Inventory._get_collection()


def _holds():
    return Hold._get_collection()


def takes_of(event_id, lines):
    """{counter key: places} a sale of `lines` takes: each tier, the show, and the concession share."""
    takes = {Inventory.tier_key(line["ticket_type_id"]): line["quantity"] for line in lines}
    takes[Inventory.event_key(event_id)] = sum(line["quantity"] for line in lines)
    concession = sum(line["quantity"] for line in lines if line.get("is_concession"))
    if concession:
        takes[Inventory.concession_key(event_id)] = concession
    return takes


def _labels(lines, title):
    names = {Inventory.tier_key(line["ticket_type_id"]): line["name"] for line in lines}
    return lambda key: names.get(key) or (title if key.startswith("event:") else _("concession tickets"))


def refusal(label, left):
    """The sold-out message of one counter: "Sold out: X." or "Only N left: X."."""
    if left <= 0:
        return SoldOut(_("Sold out: %(what)s.", what=label), "quantities")
    return SoldOut(ngettext("Only %(num)d left: %(what)s.", "Only %(num)d left: %(what)s.", left, what=label),
                   "quantities")


def left_of(keys):
    """{counter key: places left} (read now, outside any transaction)."""
    return {c["_id"]: c["remaining"] for c in _counters().find({"_id": {"$in": list(keys)}}, {"remaining": 1})}


def shortfall(event_id, lines, title):
    """The refusal a hold of `lines` would meet now (the first counter short of places), or None."""
    takes = takes_of(event_id, lines)
    left, label = left_of(takes), _labels(lines, title)
    for key, qty in takes.items():
        if qty > left.get(key, 0):
            return refusal(label(key), left.get(key, 0))
    return None


# --- holds: outside transactions, each step one document ---------------------------------------------------------

def _take_marked(hold_id, key, qty):
    """Take `qty` places of one counter for the hold, only if there are enough and the show is selling."""
    mark = f"holds.{hold_id}"
    result = _counters().update_one({"_id": key, "remaining": {"$gte": qty}, "closed": {"$ne": True}, mark: None},
                                    {"$inc": {"remaining": -qty, "sold": qty}, "$set": {mark: qty}})
    return result.modified_count == 1


def _give_marked(hold_id, takes):
    """Give back what the hold took: a counter without the hold's mark gave it back already (or never took)."""
    for key, qty in takes.items():
        mark = f"holds.{hold_id}"
        _counters().update_one({"_id": key, mark: qty}, {"$inc": {"remaining": qty, "sold": -qty},
                                                         "$unset": {mark: ""}})


def _unmark(hold_id, takes):
    """A sold hold's places stay sold: only its marks leave the counters."""
    for key in takes:
        _counters().update_one({"_id": key, f"holds.{hold_id}": {"$exists": True}},
                               {"$unset": {f"holds.{hold_id}": ""}})


def hold_seconds():
    return current_app.config["HOLD_SECONDS"]


def take_hold(seller, event, lines, key=None, seats=None):
    """Hold `lines` of the show for `seller` for HOLD_SECONDS; SoldOut (nothing held) when a counter is short.
    `seats`: the sids of a seated show's seats the hold also takes (seats.SeatTaken names those not free)."""
    takes = takes_of(event["_id"], lines)
    hold = Hold(event_id=event["_id"], seller_id=seller.pk, lines=lines, takes=takes, idempotency_key=key,
                seats=seats or [], expires_at=utcnow() + timedelta(seconds=hold_seconds()))
    hold.validate()
    hold_id = _holds().insert_one(hold.to_mongo()).inserted_id  # first: a crash after it leaves a trace to sweep
    if seats:  # seats first: a seat another window has is the refusal its seller must read, not "only N left"
        try:
            show_seats.take_held(hold_id, event["_id"], seats)
        except SeatTaken:
            _finish_release(hold_id, takes, "taking", seated=True)
            raise
    label = _labels(lines, event["title"])
    for counter, qty in takes.items():
        if not _take_marked(hold_id, counter, qty):
            _finish_release(hold_id, takes, "taking", seated=bool(seats))
            raw = _counters().find_one({"_id": counter}, {"remaining": 1, "closed": 1}) or {}
            if raw.get("closed"):
                raise ServiceError(_("This show is not on sale."))
            raise refusal(label(counter), raw.get("remaining", 0))
    if not _holds().update_one({"_id": hold_id, "status": "taking"}, {"$set": {"status": "held"}}).modified_count:
        _give_marked(hold_id, takes)  # stalled past its expiry and swept meanwhile: nothing stays taken
        if seats:
            show_seats.free_held(hold_id)
        raise HoldGone(_("Your hold on these tickets expired. Choose them again."))
    return Hold.objects.get(pk=hold_id)


def _finish_release(hold_id, takes, status, seated=False):
    """status → releasing → counters (and seats) back → the record deleted (a refused sale leaves nothing behind)."""
    # The key goes at once: the same sale may be tried again while the places are still coming back.
    raw = _holds().find_one_and_update({"_id": hold_id, "status": status},
                                       {"$set": {"status": "releasing"}, "$unset": {"idempotency_key": ""}})
    if raw is None and status != "releasing":
        return False
    _give_marked(hold_id, takes)
    if seated:
        show_seats.free_held(hold_id)
    _holds().delete_one({"_id": hold_id, "status": "releasing"})
    return True


def release(hold_id, seller=None):
    """Give a held hold's places back (Esc at the counter, a failed sale, the API's DELETE); False when it was
    not held any more (sold, already released). Only its seller may release it."""
    query = {"_id": hold_id, "status": "held"}
    if seller is not None:
        query["seller_id"] = seller.pk
    raw = _holds().find_one(query, {"takes": 1, "seats": 1})
    return bool(raw) and _finish_release(hold_id, raw["takes"], "held", bool(raw.get("seats")))


def find_hold(hold_id, seller):
    """The seller's hold with this id, or None."""
    return Hold.objects(pk=hold_id, seller_id=seller.pk).first()


def convert_in(session, hold_id, seller, order_id, now=None, tickets=()):
    """Inside the sale's transaction: the hold, still held and unexpired, becomes the order's — or HoldGone.

    Writes only the hold record (never the counters: the places were taken when the hold was) and, for a hold of
    seats, each seat (held → sold to its ticket among `tickets`)."""
    now = now or utcnow()
    raw = _holds().find_one_and_update(
        {"_id": hold_id, "seller_id": seller.pk, "status": "held", "expires_at": {"$gt": now}},
        {"$set": {"status": "sold", "order_id": order_id, "sold_at": now}},
        session=session, return_document=ReturnDocument.AFTER)
    if raw is None:
        raise HoldGone(_("Your hold on these tickets expired. Choose them again."))
    if raw.get("seats"):
        show_seats.sell_in(session, raw, tickets)
    return raw


def tidy(hold_id):
    """After the sale committed: clear the sold hold's marks from the counters (the sweeper does it otherwise)."""
    raw = _holds().find_one({"_id": hold_id, "status": "sold", "tidy": 0}, {"takes": 1})
    if raw:
        _unmark(hold_id, raw["takes"])
        _holds().update_one({"_id": hold_id}, {"$set": {"tidy": 1}})


def sweep(now=None, limit=500):
    """Release holds whose time ran out (or whose process died mid-way) and tidy sold ones; returns how many
    were released. Safe beside live sales: each step is conditional on the hold's state."""
    now = now or utcnow()
    released = 0
    stale = _holds().find({"$or": [{"status": {"$in": ["held", "taking"]}, "expires_at": {"$lte": now}},
                                   {"status": "releasing"}]}, {"takes": 1, "status": 1, "seats": 1}).limit(limit)
    for raw in stale:
        released += _finish_release(raw["_id"], raw["takes"], raw["status"], bool(raw.get("seats")))
    settled = now - timedelta(seconds=10)  # a sale that just committed tidies its own hold
    for raw in _holds().find({"status": "sold", "tidy": 0, "sold_at": {"$lte": settled}}, {"_id": 1}).limit(limit):
        tidy(raw["_id"])
    return released


# --- inside transactions: the rare writes (exchanges, voids, refunds, releases, status changes) ------------------

def take_in(session, event_id, lines, title):
    """Take the places of `lines` inside `session` (an exchange's new tickets); SoldOut aborts it all."""
    label = _labels(lines, title)
    for key, qty in takes_of(event_id, lines).items():
        result = _counters().update_one({"_id": key, "remaining": {"$gte": qty}},
                                        {"$inc": {"remaining": -qty, "sold": qty}}, session=session)
        if result.matched_count == 0:
            left = (_counters().find_one({"_id": key}, {"remaining": 1}, session=session) or {}).get("remaining", 0)
            raise refusal(label(key), left)


def give_back(session, event_id, lines):
    """Give places back inside `session` (voids, refunds, failed payments, exchanges); callers make sure it
    happens once per ticket. lines: [{"ticket_type_id", "quantity", "is_concession"}]."""
    for key, qty in takes_of(event_id, lines).items():
        if qty:
            _counters().update_one({"_id": key, "sold": {"$gte": qty}}, {"$inc": {"remaining": qty, "sold": -qty}},
                                   session=session)


def give_back_tickets(session, order, tickets):
    """Give back the places of these tickets of `order` (just flipped to void by the caller)."""
    concession = {line.ticket_type_id: line.is_concession for line in order.lines}
    lines = {}
    for ticket in tickets:
        tier = ticket["ticket_type_id"]
        line = lines.setdefault(tier, {"ticket_type_id": tier, "quantity": 0, "is_concession": concession.get(tier)})
        line["quantity"] += 1
    give_back(session, order.event_id, list(lines.values()))
    show_seats.give_back_in(session, tickets)


def take_seats_in(session, tickets):
    """Inside a transaction (an exchange): the seats these new tickets carry, free → sold; SeatTaken aborts."""
    show_seats.take_sold_in(session, tickets)


def fence_show(session, event_id, status):
    """Inside a show's status change: its counter opens or closes to new holds, and every live hold is touched,
    so a sale converting one (which read the old status) conflicts and re-reads it."""
    _counters().update_one({"_id": Inventory.event_key(event_id)},
                           {"$inc": {"fence": 1}, "$set": {"closed": status != "on_sale"}}, session=session)
    _holds().update_many({"event_id": event_id, "status": {"$in": ["taking", "held"]}}, {"$inc": {"fence": 1}},
                         session=session)
