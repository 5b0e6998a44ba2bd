"""What the point-of-sale screen shows: shows on sale with live availability, and a preview of the sale."""
from bson import ObjectId
from flask_babel import gettext as _

from ..models import Event, Inventory, TicketType
from ..models.base import utcnow
from . import NotFound, ServiceError, inventory, seats
from .events import sales_open_filter
from .payments import settle
from .sale_inputs import clean_documents
from .sales import hold_places, load_show, price_sale
from .shifts import current_shift

SHOWS_LIMIT = 40


def _remaining(keys):
    return inventory.left_of(keys)


def shows_on_sale(now=None):
    """Shows on sale whose sales have not closed yet (today first), each with its seats left."""
    now = now or utcnow()
    events = list(Event.objects(status="on_sale", __raw__=sales_open_filter(now)).order_by("starts_at")
                  .limit(SHOWS_LIMIT))
    left = _remaining(Inventory.event_key(e.pk) for e in events)
    return [{"event": e, "remaining": left.get(Inventory.event_key(e.pk), 0)} for e in events]


def sale_sheet(event_id):
    """A show's tiers for the sale form, each with what is left (the tier's and the show's, whichever is less)."""
    event = Event.objects(pk=event_id).first() if ObjectId.is_valid(str(event_id or "")) else None
    if event is None:
        raise NotFound(_("Show not found."))
    tiers = list(TicketType.objects(event=event, active=True).order_by("sort", "id"))
    keys = [Inventory.tier_key(t.pk) for t in tiers] + [Inventory.event_key(event.pk), Inventory.concession_key(event.pk)]
    left = _remaining(keys)
    show_left = left.get(Inventory.event_key(event.pk), 0)
    concession_left = left.get(Inventory.concession_key(event.pk), 0)
    rows = []
    for tier in tiers:
        available = min(left.get(Inventory.tier_key(tier.pk), 0), show_left)
        if tier.is_concession:
            available = min(available, concession_left)
        rows.append({"tier": tier, "remaining": available})
    return {"event": event, "tiers": rows, "remaining": show_left}


def seated_show(event_id):
    """The show when it sells numbered seats (services/seat_pos.py), else None: general admission, unknown id."""
    from .seat_pos import is_seated

    event = Event.objects(pk=event_id).first() if ObjectId.is_valid(str(event_id or "")) else None
    return event if event is not None and is_seated(event) else None


def active_tiers(event):
    """The tiers on sale of a show, in the sale form's order."""
    return list(TicketType.objects(event=event, active=True).order_by("sort", "id"))


def preview(event_id, quantities, documents, payments, held=False):
    """The running total for the POS: lines, total, change, each method's part of a split (the blank one
    shown with the rest it takes), and the first problem a sale would meet (`held`: the seller holds these
    places, so the counters are not asked again)."""
    result = {"lines": [], "total": 0, "change": 0, "payments": [], "problem": None}
    clean = {ObjectId(k): v for k, v in quantities.items() if v and ObjectId.is_valid(k)}
    if not clean:
        return result
    try:
        # A malformed id is just another unknown show: the same problem line, not a crash.
        event_oid = ObjectId(event_id) if ObjectId.is_valid(str(event_id or "")) else None
        event, tiers = load_show(event_oid, clean) if event_oid else (None, [])
        lines, total, _concession = price_sale(event, tiers, clean, clean_documents(documents))
        result.update(lines=lines, total=total)
        short = None if held else inventory.shortfall(event["_id"], lines, event["title"])  # the hold's words
        if short:
            raise short
        if payments:
            settled = settle(total, payments)
            result["change"] = sum(p.change_cents or 0 for p in settled)
            if len(settled) > 1:
                result["payments"] = [{"method": p.method, "amount": p.amount_cents,
                                       "rest": entry.get("amount_cents") is None}
                                      for p, entry in zip(settled, payments)]
    except ServiceError as exc:
        result["problem"] = exc.message
    return result


# --- the hold of the sale form: taken as the seller chooses, kept while the customer pays ----------------------

def form_hold(seller, hold_id):
    """The seller's hold a sale form carries; None when absent, malformed or another seller's."""
    if not ObjectId.is_valid(str(hold_id or "")):
        return None
    return inventory.find_hold(ObjectId(str(hold_id)), seller)


def _holds_exactly(hold, event_id, quantities, seat_ids=None):
    chosen = {str(tier): qty for tier, qty in quantities.items() if qty}
    return str(hold.event_id) == str(event_id) and \
        {str(line["ticket_type_id"]): line["quantity"] for line in hold.lines} == chosen and \
        (seat_ids is None or sorted(hold.seats or []) == sorted(seat_ids))


def hold_for_screen(seller, event_id, quantities, hold_id, take=True, seat_ids=None, refusals=False):
    """The seller's hold for the tickets on the POS screen: the form's hold while it holds exactly them (and the
    seats `seat_ids` of a seated show) and has time left, else it is given back and (`take`) a new one taken. None
    when nothing is chosen, no shift is open or the places are short (the preview says why; `refusals`: a seat
    another window has is raised, seats.SeatTaken); a sold hold is returned as is (a double-clicked sale)."""
    hold = form_hold(seller, hold_id)
    if hold is not None and (hold.status == "sold" or (
            hold.status == "held" and hold.expires_at > utcnow() and
            _holds_exactly(hold, event_id, quantities, seat_ids))):
        return hold
    if hold is not None:
        inventory.release(hold.pk, seller)
    if not take or not any(quantities.values()) or current_shift(seller) is None:
        return None
    try:
        return hold_places(seller, event_id=event_id, quantities=quantities, seat_ids=seat_ids or None)
    except seats.SeatTaken:
        if refusals:
            raise
        return None
    except ServiceError:
        return None


def release_form_hold(seller, hold_id):
    """Esc, another show or leaving the page: the seller's hold of the sale form goes back on sale."""
    hold = form_hold(seller, hold_id)
    return hold is not None and inventory.release(hold.pk, seller)


def seconds_left(hold):
    """Whole seconds before the hold expires (0 once it has)."""
    return max(0, int((hold.expires_at - utcnow()).total_seconds()))
