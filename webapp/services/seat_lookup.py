"""Who is in F12? A show's tickets found by their seat's label, typed any way ("f12", "F 12", "mesa 3 2")."""
import re
from datetime import timedelta

from bson import ObjectId

from ..models import Event, Order, Ticket, Venue
from ..models.base import utcnow

LOOKUP_LIMIT = 50
SHOWS_LIMIT = 60
_TOKENS = re.compile(r"[^\W\d_]+|\d+")  # runs of letters, runs of digits
_BETWEEN = r"[\s·.\-]*"  # what may separate them in a label ("Mesa 3 · 2")


def seat_pattern(text):
    """A case-blind regex for a seat label typed as `text`, or None when it cannot be one (no digit, too long)."""
    text = (text or "").strip()
    tokens = _TOKENS.findall(text)
    if not text or len(text) > 30 or not tokens or len(tokens) > 6 or not any(t.isdigit() for t in tokens):
        return None
    return "^" + _BETWEEN.join(re.escape(token) for token in tokens) + "$"


def seated_shows(now=None):
    """Shows of reserved venues from yesterday on (the ones someone may ask about), soonest first."""
    now = now or utcnow()
    venues = Venue.objects(kind="reserved").distinct("id")
    return list(Event.objects(venue__in=venues, starts_at__gte=now - timedelta(days=1),
                              status__nin=["draft", "cancelled"]).only("title", "starts_at", "venue")
                .order_by("starts_at").limit(SHOWS_LIMIT))


def tickets_in_seat(text, event_id=None):
    """[{ticket, order}] whose seat's label is `text`, on the show `event_id` or else on the seated shows from
    yesterday on (each read through the (event_id, status) index); newest first."""
    pattern = seat_pattern(text)
    if pattern is None:
        return []
    if event_id is not None and not ObjectId.is_valid(str(event_id)):
        return []
    events = [ObjectId(str(event_id))] if event_id else [e.pk for e in seated_shows()]
    tickets = list(Ticket.objects(__raw__={"event_id": {"$in": events},
                                           "seat.label": {"$regex": pattern, "$options": "i"}})
                   .order_by("-created_at").limit(LOOKUP_LIMIT))
    orders = {o.pk: o for o in Order.objects(id__in=list({t.order_id for t in tickets}))}
    return [{"ticket": t, "order": orders.get(t.order_id)} for t in tickets]
