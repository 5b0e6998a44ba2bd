"""Managers hold back or kill seats of one show (house seats, a camera, a broken seat) and release them, audited;
the show's counters lose (and get back) their places in the same transaction."""
from flask_babel import gettext as _

from .. import db, labels
from ..models import ShowSeat
from ..models.base import utcnow
from . import ServiceError, inventory
from .audit import record
from .events import EDITABLE_STATUSES
from .seat_inventory import refusal
from .seats import block_text, clean_ids, load_seats

# What a manager may choose (a seat the map marks not for sale is blocked by the map, not by them).
REASONS = {code: text for code, text in labels.SEAT_BLOCK.items() if code != "not_for_sale"}


def _check(actor, event, sids):
    if not actor.has_role("manager", "admin"):
        raise ServiceError(_("Only a manager can hold back or release seats."))
    if event.status not in EDITABLE_STATUSES:
        raise ServiceError(_("A finished or cancelled show cannot be changed."))
    return load_seats(event.pk, clean_ids(sids))


def _check_reason(reason, note):
    """The note, trimmed ("other" needs one); ServiceError for an unknown reason."""
    if reason not in REASONS:
        raise ServiceError(_("Choose why the seats are held back."), "reason")
    note = (note or "").strip()
    if len(note) > 120:
        raise ServiceError(_("At most %(n)d characters.", n=120), "note")
    if reason == "other" and not note:
        raise ServiceError(_("Say why the seats are held back."), "note")
    return note or None


def block(actor, event, sids, reason, note=None):
    """Hold back free seats of the show with a reason, all or none (a seat held or sold meanwhile is named)."""
    seats = _check(actor, event, sids)
    note = _check_reason(reason, note)

    def write(session):
        for sid in sorted(seats):
            result = ShowSeat._get_collection().update_one(
                {"event_id": event.pk, "sid": sid, "status": "free"},
                {"$set": {"status": "blocked", "blocked_kind": reason, "blocked_reason": note, "blocked_by": actor.pk,
                          "changed_at": utcnow()}}, session=session)
            if result.modified_count == 0:
                raise refusal(event.pk, list(seats))
        inventory.settle_blocked(session, event.pk)  # their places leave the counters in the same transaction
        record("seats.block", actor, session=session, target=event, event_id=event.pk, reason=note,
               after={"seats": [seats[sid]["label"] for sid in sids_in_order(seats)], "held_back_as": reason})

    db.run_in_transaction(write)
    return len(seats)


def unblock(actor, event, sids):
    """Put held-back seats on sale again (seats the map marks not for sale stay out)."""
    seats = _check(actor, event, sids)
    wrong = [s["label"] for s in seats.values() if s["status"] != "blocked" or "not_for_sale" in (s.get("flags") or ())]
    if wrong:
        raise ServiceError(_("Not held back: %(seats)s.", seats=", ".join(wrong)), "seats")

    def write(session):
        ShowSeat._get_collection().update_many(
            {"event_id": event.pk, "sid": {"$in": list(seats)}, "status": "blocked", "flags": {"$ne": "not_for_sale"}},
            {"$set": {"status": "free", "changed_at": utcnow()},
             "$unset": {"blocked_kind": "", "blocked_reason": "", "blocked_by": ""}},
            session=session)
        inventory.settle_blocked(session, event.pk)  # ...and come back with them, once
        record("seats.unblock", actor, session=session, target=event, event_id=event.pk,
               reason="; ".join(sorted({s["blocked_reason"] for s in seats.values() if s.get("blocked_reason")})) or None,
               before={"seats": [seats[sid]["label"] for sid in sids_in_order(seats)],
                       "held_back_as": sorted({s.get("blocked_kind") or "other" for s in seats.values()})})

    db.run_in_transaction(write)
    return len(seats)


def sids_in_order(seats):
    return sorted(seats, key=lambda sid: (seats[sid].get("rank", 0), sid))


def held_back(event_id):
    """[(why, [seat dicts])]: the show's seats held back by managers (not those the map excludes), by reason."""
    groups = {}
    for seat in ShowSeat._get_collection().find({"event_id": event_id, "status": "blocked",
                                                 "flags": {"$ne": "not_for_sale"}}).sort("sid", 1):
        groups.setdefault(block_text(seat), []).append(seat)
    return sorted(groups.items())


def example_ids(event_id, count=3):
    """A few of the show's seat ids, best first: the ids to type are the map's (e.g. PLAC-A-5), not the labels."""
    found = ShowSeat._get_collection().find({"event_id": event_id}, {"sid": 1}).sort("rank", 1).limit(count)
    return [seat["sid"] for seat in found]
