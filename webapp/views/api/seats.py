"""Reserved seating over the API: a show's seats, and holds of chosen or best-available seats (POST /holds)."""
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ...services import ServiceError, sales, seats
from ...services import events as event_service
from ...security import roles_required
from ..catalog import READERS
from . import answers, bp
from .schemas import Int, PageQuery, PageSchema, Text, page_of

SEAT_STATUSES = ("free", "held", "sold", "blocked")
SEAT_IDS = fields.List(Text(40, 1), validate=validate.Length(1, seats.MAX_SEATS),
                       metadata={"description": "the seats (their ids), one per ticket"})


class SeatOfTicket(Schema):
    id = fields.String(required=True, attribute="sid")
    label = fields.String(allow_none=True)
    section = fields.String(allow_none=True)
    row = fields.String(allow_none=True)
    number = fields.String(allow_none=True)


class SeatOut(SeatOfTicket):
    zone = fields.String(allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(SEAT_STATUSES))


class SeatPage(PageSchema):
    items = fields.List(fields.Nested(SeatOut), required=True)


class SeatQuery(PageQuery):
    # A seat map is read whole by a kiosk: pages are larger here (same shape).
    per_page = fields.Integer(load_default=1000, validate=validate.Range(1, 5000))


SEAT_HOLD_FIELDS = {
    "seat_ids": SEAT_IDS,
    "zone": Text(40, 1, metadata={"description": "best available: the zone"}),
    "quantity": Int(validate=validate.Range(1, seats.MAX_SEATS), metadata={"description": "best available: how many"}),
    "best_available": fields.Boolean(metadata={"description": "with zone and quantity: the best seats together"}),
}


@bp.route("/events/<event_id>/seats")
@roles_required(*READERS)
@bp.doc(tags=["seats"])
@bp.arguments(SeatQuery, location="query")
@bp.response(200, SeatPage)
@answers(400, 401, 403, 404)
def list_seats(args, event_id):
    """Every seat of the show with its status: free, held, sold, blocked (none for general admission)."""
    event = event_service.get_event(event_id)
    return page_of(seats.seat_view(event.pk), args["page"], args["per_page"])


def wants_seats(body):
    """Whether a POST /holds body asks for seats (seat_ids, or best_available in a zone)."""
    return "seat_ids" in body or bool(body.get("best_available"))


def _best_ids(event_id, body):
    if not body.get("zone") or "quantity" not in body:
        raise ServiceError(_("Say which zone (zone) and how many seats (quantity)."), "zone")
    pick = seats.best_available(event_id, body["zone"], body["quantity"])
    return [s["sid"] for s in pick["seats"]], pick["warning"]


def hold_seats(body, sale, key):
    """POST /holds with seats: (hold, warning). `items` may say the tiers; else each zone's full-price tier."""
    event = event_service.get_event(body["event_id"])
    for attempt in range(3):  # best available again when another window took the pick first
        sids, warning = (body["seat_ids"], None) if "seat_ids" in body else _best_ids(event.pk, body)
        quantities = sale["quantities"] if body.get("items") else seats.quantities_for(event.pk, sids)
        try:
            hold = sales.hold_places(current_user, event_id=event.pk, quantities=quantities, seat_ids=sids, key=key)
            return hold, warning
        except seats.SeatTaken:
            if "seat_ids" in body or attempt == 2:
                raise
