"""Reserved seating over the API: a show's seats, and holds of chosen or best-available seats (POST /holds)."""
from flasgger import swag_from
from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from ...services import ServiceError, sales, seats
from ...services import events as event_service
from ...security import roles_required
from ..catalog import READERS
from . import bp

SEAT_KEYS = ("id", "label", "section", "row", "number", "zone", "status")
SEAT_HOLD_SPEC = {
    "event_id": {"type": "string"},
    "seat_ids": {"type": "array", "items": {"type": "string"}, "description": "the seats to hold (their zones' "
                 "first full-price tiers, unless `items` says which tier each zone's tickets are)"},
    "zone": {"type": "string"}, "quantity": {"type": "integer"},
    "best_available": {"type": "boolean", "description": "with zone and quantity: the best seats together"},
}


def seat_json(seat):
    """A show seat as the API shows it."""
    return {"id": seat["sid"], **{k: seat.get(k) for k in SEAT_KEYS[1:]}}


@bp.route("/events/<event_id>/seats")
@roles_required(*READERS)
@swag_from({"tags": ["seats"], "summary": "A show's seats and their status (free, held, sold, blocked)",
            "parameters": [{"in": "path", "name": "event_id", "type": "string", "required": True}],
            "responses": {"200": {"description": "{items: [{id, label, section, row, number, zone, status}]}"},
                          "404": {"description": "show not found"}}})
def list_seats(event_id):
    """Every seat of the show (an empty list for general admission)."""
    event = event_service.get_event(event_id)
    return jsonify(items=[seat_json(s) for s in seats.seat_view(event.pk)])


def wants_seats(body):
    """Whether a POST /holds body asks for seats (seat_ids, or best_available in a zone)."""
    return "seat_ids" in body or bool(body.get("best_available"))


def _best_ids(event_id, body):
    zone, quantity = body.get("zone"), body.get("quantity")
    if not isinstance(zone, str) or not zone:
        raise ServiceError(_("Say which zone (zone) and how many seats (quantity)."), "zone")
    pick = seats.best_available(event_id, zone, quantity)
    return [s["sid"] for s in pick["seats"]], pick["warning"]


def hold_seats(body, sale):
    """POST /holds with seats: (hold, warning). `items` may say the tiers; else each zone's full-price tier."""
    event = event_service.get_event(body.get("event_id"))
    for attempt in range(3):  # best available again when another window took the pick first
        sids, warning = (body["seat_ids"], None) if "seat_ids" in body else _best_ids(event.pk, body)
        if not isinstance(sids, list):
            raise ServiceError(_("Send seat_ids as a list of seat ids."), "seat_ids")
        quantities = sale["quantities"] if body.get("items") else seats.quantities_for(event.pk, sids)
        try:
            return sales.hold_places(current_user, event_id=event.pk, quantities=quantities, seat_ids=sids), warning
        except seats.SeatTaken:
            if "seat_ids" in body or attempt == 2:
                raise
