"""The seat side of services/inventory.py (its only caller): each seat one conditional update on its document —
free → held with the hold's id → sold with the ticket's id → free again — so two windows never both get a seat
and a seat comes back exactly once, whoever calls twice."""
from flask_babel import gettext as _

from ..models import ShowSeat
from ..models.base import utcnow
from .seats import SeatTaken, block_text, ticket_seat
from .ticket_print import seat_text


def _seats():
    return ShowSeat._get_collection()


def _why(seat, hold_id=None):
    """Why a seat cannot be taken, as the seller reads it: the seat named as on the ticket, section first (a label
    such as "A1" may repeat in another section)."""
    label = seat_text(ticket_seat(seat))
    if seat["status"] == "sold":
        return _("%(seat)s was just sold by another window", seat=label)
    if seat["status"] == "held" and seat.get("hold_id") != hold_id:
        return _("%(seat)s is held by another window", seat=label)
    if seat["status"] == "blocked":
        return _("%(seat)s is blocked: %(reason)s", seat=label, reason=block_text(seat))
    return None


def refusal(event_id, sids, hold_id=None, seen=None):
    """SeatTaken naming each of `sids` that is not free now and why; `seen`: the seat found taken a moment ago
    (named as it was then, even if it was freed since)."""
    found = {s["sid"]: s for s in _seats().find({"event_id": event_id, "sid": {"$in": list(sids)}})}
    if seen is not None:
        found[seen["sid"]] = seen
    reasons = [r for r in (_why(found[sid], hold_id) for sid in sids if sid in found) if r]
    reasons = reasons or [_("the seats changed meanwhile")]
    return SeatTaken(_("Seats not available: %(reasons)s.", reasons="; ".join(reasons)), "seats")


def take_held(hold_id, event_id, sids):
    """Hold each seat for the hold (free → held); on a refusal give back what this call took and raise SeatTaken
    naming every seat that is not free. Seats are taken in id order, so two sellers asking for the same seats meet
    on the first one instead of each getting half; a seat freed between our try and our look is tried again."""
    for sid in sorted(sids):
        for _attempt in range(3):
            result = _seats().update_one({"event_id": event_id, "sid": sid, "status": "free"},
                                         {"$set": {"status": "held", "hold_id": hold_id, "changed_at": utcnow()}})
            if result.modified_count:
                break
            seat = _seats().find_one({"event_id": event_id, "sid": sid})
            if seat is None or seat["status"] != "free":
                free_held(hold_id)
                raise refusal(event_id, sids, hold_id, seat)
        else:
            free_held(hold_id)
            raise refusal(event_id, sids, hold_id)


def free_held(hold_id):
    """Seats still held by the hold go back to free (release, expiry, a refused sale): once, whoever calls."""
    _seats().update_many({"hold_id": hold_id, "status": "held"},
                         {"$set": {"status": "free", "changed_at": utcnow()}, "$unset": {"hold_id": ""}})


def sell_in(session, hold, tickets):
    """Inside the sale's transaction: the hold's seats become its tickets' (held by it → sold)."""
    from .inventory import HoldGone

    for ticket in tickets:
        if not ticket.seat:
            continue
        result = _seats().update_one(
            {"event_id": hold["event_id"], "sid": ticket.seat.sid, "status": "held", "hold_id": hold["_id"]},
            {"$set": {"status": "sold", "order_id": ticket.order_id, "ticket_id": ticket.pk, "changed_at": utcnow()}},
            session=session)
        if result.modified_count == 0:
            raise HoldGone(_("Your hold on these tickets expired. Choose them again."))


def take_sold_in(session, tickets):
    """Inside a transaction (an exchange): free seats straight to these tickets; SeatTaken aborts it all."""
    for ticket in tickets:
        if not ticket.seat:
            continue
        result = _seats().update_one(
            {"event_id": ticket.event_id, "sid": ticket.seat.sid, "status": "free"},
            {"$set": {"status": "sold", "order_id": ticket.order_id, "ticket_id": ticket.pk, "changed_at": utcnow()},
             "$unset": {"hold_id": ""}}, session=session)
        if result.modified_count == 0:
            raise refusal(ticket.event_id, [ticket.seat.sid])


def give_back_in(session, tickets):
    """Inside a transaction (void, refund, exchange, cancellation, failed payment): each ticket's seat is free
    again — only while it is still that ticket's, so it comes back once."""
    for ticket in tickets:
        seat = ticket.get("seat")
        if seat:
            _seats().update_one(
                {"event_id": ticket["event_id"], "sid": seat["sid"], "status": "sold", "ticket_id": ticket["_id"]},
                {"$set": {"status": "free", "changed_at": utcnow()},
                 "$unset": {"order_id": "", "ticket_id": "", "hold_id": ""}}, session=session)
