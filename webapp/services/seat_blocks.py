"""Managers hold back or kill seats of one show (house seats, a camera, a broken seat) and release them, audited."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import db
from ..models import ShowSeat
from ..models.base import utcnow
from . import ServiceError
from .audit import record
from .events import EDITABLE_STATUSES
from .seat_inventory import refusal
from .seats import _load, clean_ids

REASONS = {"house": _l("house seats"), "technical": _l("technical (camera, sound desk, broken seat)"),
           "other": _l("other")}


def _check(actor, event, sids):
    if not actor.has_role("manager", "admin"):
        raise ServiceError(_("Only a manager can hold back or release seats."))
    if event.status not in EDITABLE_STATUSES:
        raise ServiceError(_("A finished or cancelled show cannot be changed."))
    return _load(event.pk, clean_ids(sids))


def reason_text(reason, note):
    """The reason as staff read it on the seat: the kind, then the manager's note."""
    if reason not in REASONS:
        raise ServiceError(_("Choose why the seats are held back."), "reason")
    note = (note or "").strip()
    if len(note) > 120:
        raise ServiceError(_("At most %(n)d characters.", n=120), "note")
    if reason == "other" and not note:
        raise ServiceError(_("Say why the seats are held back."), "note")
    return f"{REASONS[reason]} — {note}" if note else str(REASONS[reason])


def block(actor, event, sids, reason, note=None):
    """Hold back free seats of the show with a reason, all or none (a seat held or sold meanwhile is named)."""
    seats = _check(actor, event, sids)
    text = reason_text(reason, note)

    def write(session):
        for sid in sorted(seats):
            result = ShowSeat._get_collection().update_one(
                {"event_id": event.pk, "sid": sid, "status": "free"},
                {"$set": {"status": "blocked", "blocked_reason": text, "blocked_by": actor.pk,
                          "changed_at": utcnow()}}, session=session)
            if result.modified_count == 0:
                raise refusal(event.pk, list(seats))
        record("seats.block", actor, session=session, target=event, event_id=event.pk, reason=text,
               after={"seats": [seats[sid]["label"] for sid in sids_in_order(seats)]})

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
            {"$set": {"status": "free", "changed_at": utcnow()}, "$unset": {"blocked_reason": "", "blocked_by": ""}},
            session=session)
        record("seats.unblock", actor, session=session, target=event, event_id=event.pk,
               reason="; ".join(sorted({s.get("blocked_reason") or "" for s in seats.values()})),
               before={"seats": [seats[sid]["label"] for sid in sids_in_order(seats)]})

    db.run_in_transaction(write)
    return len(seats)


def sids_in_order(seats):
    return sorted(seats, key=lambda sid: (seats[sid].get("rank", 0), sid))


def held_back(event_id):
    """[(reason, [seat dicts])]: the show's seats held back by managers (not those the map excludes), by reason."""
    groups = {}
    for seat in ShowSeat._get_collection().find({"event_id": event_id, "status": "blocked",
                                                 "flags": {"$ne": "not_for_sale"}}).sort("sid", 1):
        groups.setdefault(seat.get("blocked_reason") or "", []).append(seat)
    return sorted(groups.items())
