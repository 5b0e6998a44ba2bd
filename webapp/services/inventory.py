"""The one owner of taking and giving back places: the show, tier and concession counters, and the holds.

A sale first *holds* its places: one conditional single-document update per counter, outside any transaction
(concurrent sellers queue on the document's lock instead of aborting each other's transactions), each marking
the counter with the hold's id ("holds.<id>": places) so giving back happens once whatever dies where. The sale's
transaction then turns the hold into the order without touching the counters (`convert_in`). A hold not sold
is released by its seller, by the failed sale, or — its process dead — by `sweep` once it expired.

Counters keep sold + remaining = quota, where `sold` counts places held for a sale in progress too. The rare
writes that change counters inside a transaction (voids, refunds, exchanges, releases) live here as well.
"""
import threading
import time
from datetime import timedelta

from bson import ObjectId
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from pymongo import UpdateOne
from pymongo.write_concern import WriteConcern

from .. import db
from ..models import Event, Hold, Inventory, TicketType
from ..models.base import utcnow
from . import Conflict, ServiceError, seat_inventory as show_seats
from .seats import SeatTaken, held_back_by_zone


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


# --- holds: outside transactions, each step one round trip ------------------------------------------------------
# Taking is acknowledged by a majority: a primary killed right after a w:1 take could lose the counter's $inc in
# its rollback while the hold record reached the new primary, and the sale's transaction, retried there, would
# then sell places no counter took (the fault run of a primary kill found 6 oversold). Giving back, unmarking and
# the hold's own bookkeeping stay w:1: what a failover rolls back there is a consistent prefix (a hold still
# "releasing", a mark still set) that the sweeper finishes, and never a place sold twice.

def _fast(collection):
    return collection.with_options(write_concern=WriteConcern(w=1))


def _take_counters(hold_id, takes, session=None):
    """Take every counter's places for the hold in one ordered round trip, each only if there are enough, the show
    is selling and the hold has not taken it yet; returns how many counters were taken. The same updates clear
    the marks this process's sold holds left on these counters (see tidy)."""
    mark, cleared = f"holds.{hold_id}", _Untidy.take(takes)
    ops = [UpdateOne({"_id": key, "remaining": {"$gte": qty}, "closed": {"$ne": True}, mark: None},
                     {"$inc": {"remaining": -qty, "sold": qty}, "$set": {mark: qty},
                      **({"$unset": cleared[key]} if key in cleared else {})}) for key, qty in takes.items()]
    taken = 0
    try:
        taken = _counters().bulk_write(ops, ordered=True, session=session).modified_count
    finally:
        if taken != len(takes):  # a refused (or failed) update cleared nothing: those marks wait for another
            _Untidy.add(cleared)
    return taken


def _give_marked(hold_id, takes):
    """Give back what the hold took: a counter without the hold's mark gave it back already (or never took)."""
    mark = f"holds.{hold_id}"
    ops = [UpdateOne({"_id": key, mark: qty}, {"$inc": {"remaining": qty, "sold": -qty}, "$unset": {mark: ""}})
           for key, qty in takes.items()]
    _fast(_counters()).bulk_write(ops, ordered=False)


def _marks_of(holds):
    """{counter key: {"holds.<id>": ""}} of these (hold id, takes)."""
    marks = {}
    for hold_id, takes in holds:
        for key in takes:
            marks.setdefault(key, {})[f"holds.{hold_id}"] = ""
    return marks


def _unmark(holds=(), marks=None):
    """Sold holds' places stay sold: only their marks leave the counters (one update per counter)."""
    marks = marks if marks is not None else _marks_of(holds)
    if marks:
        _fast(_counters()).bulk_write([UpdateOne({"_id": key}, {"$unset": m}) for key, m in marks.items()],
                                      ordered=False)


class _Untidy:
    """The marks of holds this process sold, not cleared yet: the next take of a counter clears its own in the same
    update, so a sale costs no round trip of its own for them. Marks waiting over WAIT seconds (a show nobody sells
    now) are cleared by the next tidy on their own; those of a process that died, by the sweeper. A sold hold's mark
    is never used again (only holds not sold give back), so clearing it late or twice changes nothing."""

    WAIT = 5.0
    lock, marks, since = threading.Lock(), {}, None

    @classmethod
    def add(cls, marks):
        """Queue these marks; returns every queued mark (to clear now) once the oldest has waited too long."""
        if not marks:
            return {}
        with cls.lock:
            for key, fields in marks.items():
                cls.marks.setdefault(key, {}).update(fields)
            cls.since = cls.since or time.monotonic()
            if time.monotonic() - cls.since < cls.WAIT:
                return {}
            return cls._all()

    @classmethod
    def take(cls, keys):
        """The queued marks of these counters, handed to the take that clears them."""
        with cls.lock:
            taken = {key: cls.marks.pop(key) for key in keys if key in cls.marks}
            if not cls.marks:
                cls.since = None
            return taken

    @classmethod
    def _all(cls):
        marks, cls.marks, cls.since = cls.marks, {}, None
        return marks

    @classmethod
    def flush(cls):
        """Clear every queued mark now (the sweeper, and tests that look at the counters)."""
        with cls.lock:
            marks = cls._all()
        _unmark(marks=marks)


def hold_seconds():
    return current_app.config["HOLD_SECONDS"]


def take_hold(seller, event, lines, key=None, *, for_sale=None, seats=None):
    """Hold `lines` of the show for `seller` for HOLD_SECONDS; SoldOut (nothing held) when a counter is short.
    `seats`: the sids of a seated show's seats the hold also takes (seats.SeatTaken names those not free).

    for_sale: the session of the sale that converts it at once (db.transaction in that same session, which then
    sees these w:1 writes): the hold stays "taking" (convert_in accepts that) and is not confirmed on its own."""
    takes = takes_of(event["_id"], lines)
    hold = Hold(id=ObjectId(), event_id=event["_id"], seller_id=seller.pk, lines=lines, takes=takes,
                idempotency_key=key, seats=seats or [], expires_at=utcnow() + timedelta(seconds=hold_seconds()))
    hold.validate()
    # First, and acknowledged by a majority: a crash after it leaves a trace to sweep, even across a failover (a take
    # the driver retries on a new primary is not covered by a w:1 record the old one never passed on).
    _holds().insert_one(hold.to_mongo(), session=for_sale)
    if seats:  # seats first: a seat another window has is the refusal its seller must read, not "only N left"
        try:
            show_seats.take_held(hold.pk, event["_id"], seats)
        except SeatTaken:
            _finish_release(hold.pk, takes, ("taking",), seated=True)
            raise
    if _take_counters(hold.pk, takes, for_sale) != len(takes):
        _finish_release(hold.pk, takes, ("taking",), seated=bool(seats))
        raise _refusal(event, lines, takes)
    if for_sale is not None:
        return hold
    if not _holds().update_one({"_id": hold.pk, "status": "taking"}, {"$set": {"status": "held"}}).modified_count:
        _give_marked(hold.pk, takes)  # stalled past its expiry and swept meanwhile: nothing stays taken
        if seats:
            show_seats.free_held(hold.pk)
        raise HoldGone(_("Your hold on these tickets expired. Choose them again."))
    hold.status = "held"
    return hold


def _refusal(event, lines, takes):
    """Why a hold could not take its places: the show closed, or the first counter short of them."""
    label = _labels(lines, event["title"])
    raw = {c["_id"]: c for c in _counters().find({"_id": {"$in": list(takes)}}, {"remaining": 1, "closed": 1})}
    if any(c.get("closed") for c in raw.values()):
        return ServiceError(_("This show is not on sale."))
    left = {key: raw.get(key, {}).get("remaining", 0) for key in takes}
    short = next((key for key, qty in takes.items() if qty > left[key]), None)
    short = short or min(takes, key=lambda k: left[k] - takes[k])  # freed meanwhile: the tightest counter
    return refusal(label(short), left[short])


def _finish_release(hold_id, takes, statuses, seated=False):
    """status → releasing → counters (and seats) back → the record deleted (a refused sale leaves nothing behind)."""
    # The key goes at once: the same sale may be tried again while the places are still coming back.
    raw = _fast(_holds()).find_one_and_update({"_id": hold_id, "status": {"$in": list(statuses)}},
                                              {"$set": {"status": "releasing"}, "$unset": {"idempotency_key": ""}},
                                              projection={"_id": 1})
    if raw is None and "releasing" not in statuses:
        return False
    _give_marked(hold_id, takes)
    if seated:
        show_seats.free_held(hold_id)
    _fast(_holds()).delete_one({"_id": hold_id, "status": "releasing"})
    return True


def release(hold_id, seller=None, takes=None, seated=False):
    """Give a held hold's places back (Esc at the counter, a failed sale, the API's DELETE); False when it was
    not held any more (sold, already released). Only its seller may release it.

    takes: what the caller itself took for this hold (a failed sale): given back even when the record is gone —
    swept while the caller stalled, before its counters were taken; `seated` when that hold took seats too."""
    query = {"_id": hold_id, "status": {"$in": ["taking", "held"]}}
    if seller is not None:
        query["seller_id"] = seller.pk
    raw = _holds().find_one(query, {"takes": 1, "seats": 1}) if takes is None else {"takes": takes, "seats": seated}
    seated = bool(raw and raw.get("seats"))
    released = bool(raw) and _finish_release(hold_id, raw["takes"], ("taking", "held"), seated)
    if takes is not None and not released and not _holds().find_one({"_id": hold_id, "status": "sold"}, {"_id": 1}):
        # Never a sold hold's places: a sale whose commit answer was lost (a failover) may have sold it after all.
        _give_marked(hold_id, takes)
        if seated:
            show_seats.free_held(hold_id)
    return released


def find_hold(hold_id, seller):
    """The seller's hold with this id, or None."""
    return Hold.objects(pk=hold_id, seller_id=seller.pk).first()


def held_with_key(key, seller):
    """The seller's live hold taken with this idempotency key (by an earlier try of the same sale), or None.

    A hold about to expire is given back instead, so the try takes a fresh one rather than lose the race; so is
    one still "taking" longer than a request may last (its request died mid-take: a timeout, a killed worker)."""
    hold = Hold.objects(idempotency_key=key, seller_id=seller.pk, status__in=["held", "taking"]).first()
    now = utcnow()
    if hold is None or hold.status == "held" and hold.expires_at > now + timedelta(seconds=10):
        return hold
    if hold.status == "held" or hold.created_at < now - timedelta(seconds=db.surely_over_seconds()):
        _finish_release(hold.pk, hold.takes, (hold.status,), seated=bool(hold.seats))
    return None


def convert_in(session, hold_id, seller, order_id, now=None, tickets=()):
    """Inside the sale's transaction: the hold, still taken and unexpired, becomes the order's — or HoldGone, or
    "not on sale" when the show's status changed since the hold was taken (fence_show bumped it).

    Writes only the hold record (never the counters: the places were taken when the hold was) and, for a hold of
    seats, each seat (held → sold to its ticket among `tickets`). The sale reads the
    show before its transaction: the fence is what keeps a status change from slipping in between."""
    now = now or utcnow()
    result = _holds().update_one(
        {"_id": hold_id, "seller_id": seller.pk, "status": {"$in": ["taking", "held"]}, "expires_at": {"$gt": now},
         "fence": {"$not": {"$gt": 0}}},
        {"$set": {"status": "sold", "order_id": order_id, "sold_at": now}}, session=session)
    if result.matched_count:
        seated = [t for t in tickets if t.seat]
        if seated:
            show_seats.sell_in(session, {"_id": hold_id, "event_id": seated[0].event_id}, seated)
        return
    raw = _holds().find_one({"_id": hold_id}, {"fence": 1, "event_id": 1}, session=session) or {}
    if raw.get("fence"):
        status = (Event._get_collection().find_one({"_id": raw["event_id"]}, {"status": 1}, session=session)
                  or {}).get("status")
        if status != "on_sale":
            raise ServiceError(_("This show is not on sale."))
    raise HoldGone(_("Your hold on these tickets expired. Choose them again."))


def tidy(hold_id, takes=None):
    """After the sale committed: the sold hold's marks leave the counters with the next take of each (_Untidy).
    The sweeper notes it tidy later (in batches) and clears the marks itself when the process died before."""
    if takes is None:
        raw = _holds().find_one({"_id": hold_id, "status": "sold", "tidy": 0}, {"takes": 1})
        takes = raw and raw["takes"]
    if takes:
        _unmark(marks=_Untidy.add(_marks_of([(hold_id, takes)])))


def sweep(now=None, limit=500):
    """Release holds whose time ran out (or whose process died mid-way) and tidy sold ones; returns how many
    were released. Safe beside live sales: each step is conditional on the hold's state."""
    now = now or utcnow()
    released = 0
    _Untidy.flush()
    stale = _holds().find({"$or": [{"status": {"$in": ["held", "taking"]}, "expires_at": {"$lte": now}},
                                   {"status": "releasing"}]}, {"takes": 1, "status": 1, "seats": 1}).limit(limit)
    for raw in stale:
        released += _finish_release(raw["_id"], raw["takes"], (raw["status"],), bool(raw.get("seats")))
    settled = now - timedelta(seconds=10)  # a sale that just committed tidies its own hold
    while True:
        # Hinted: (status, expires_at) ties with it in the planner's trial and would read every sold hold ever.
        sold = list(_holds().find({"status": "sold", "tidy": 0, "sold_at": {"$lte": settled}}, {"takes": 1})
                    .hint("sold_not_tidy").limit(limit))
        if not sold:
            return released
        _unmark([(raw["_id"], raw["takes"]) for raw in sold])
        _fast(_holds()).update_many({"_id": {"$in": [raw["_id"] for raw in sold]}}, {"$set": {"tidy": 1}})


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


# --- seats managers hold back ------------------------------------------------------------------------------------

def _blocked_target(counter, sellable, held_back):
    """The places a counter keeps from sale for `held_back` of its `sellable` seats: those beyond the slack of a
    quota below the seats (15 places on 20 seats lose nothing to the first 5 held back), never below what is sold."""
    quota, sold = counter["quota"], counter.get("sold", 0)
    return max(0, min(held_back - max(0, sellable - quota), quota - sold))


def settle_blocked(session, event_id):
    """Inside the transaction that held back, released or re-copied a show's seats (or re-sized its counters): the
    show's counter and each zoned tier's take or give back the places of the seats held back, so every "N left" is
    what a seller can get. Recomputed from the seats: safe to repeat, and a release gives back once.
    The concession counter stays: its legal share of the show is capped by the show's and its tier's counters."""
    zones = held_back_by_zone(event_id, session)  # {zone: (sellable, held back)}
    scopes = {Inventory.event_key(event_id): (sum(s for s, _b in zones.values()), sum(b for _s, b in zones.values()))}
    for tier in TicketType._get_collection().find({"event": event_id}, {"zone": 1}, session=session):
        scopes[Inventory.tier_key(tier["_id"])] = zones.get(tier.get("zone"), (0, 0))
    for counter in _counters().find({"_id": {"$in": list(scopes)}}, session=session):
        delta = _blocked_target(counter, *scopes[counter["_id"]]) - counter.get("blocked", 0)
        if delta or counter["remaining"] != counter["quota"] - counter.get("sold", 0) - counter.get("blocked", 0):
            _counters().update_one({"_id": counter["_id"]}, [{"$set": {
                "blocked": {"$add": [{"$ifNull": ["$blocked", 0]}, delta]},
                "remaining": {"$subtract": ["$quota", {"$add": ["$sold", {"$ifNull": ["$blocked", 0]}, delta]}]}}}],
                session=session)
