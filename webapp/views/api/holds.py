"""Holds over the API: places held for a few minutes while the customer pays, then sold with POST /orders."""
from bson import ObjectId
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate
from pymongo.errors import DuplicateKeyError

from ...security import roles_required
from ...services import Conflict, NotFound, inventory, sale_keys, sales
from . import answers, bp
from .orders import ItemIn, sale_arguments
from .schemas import Id, IdempotencyHeader, In, Int, UtcDateTime
from .seats import SEAT_HOLD_FIELDS, hold_seats, wants_seats

HoldIn = In.from_dict({
    "event_id": Id(required=True),
    "items": fields.List(fields.Nested(ItemIn), validate=validate.Length(1, 50),
                         metadata={"description": "the tickets; with seats, which tier each zone's tickets are"}),
    **SEAT_HOLD_FIELDS}, name="HoldIn")


class HoldLineOut(Schema):
    ticket_type_id = fields.String(required=True)
    name = fields.String(required=True)
    quantity = Int(required=True)


class HoldOut(Schema):
    id = fields.String(required=True)
    event_id = fields.String(required=True)
    status = fields.String(required=True)
    expires_at = UtcDateTime(required=True)
    lines = fields.List(fields.Nested(HoldLineOut), required=True)
    seat_ids = fields.List(fields.String(), required=True, metadata={"description": "empty: general admission"})
    warning = fields.String(allow_none=True, metadata={"description": "best available: why the seats are apart"})


@bp.route("/holds", methods=["POST"])
@roles_required("seller")
@bp.doc(tags=["holds"])
@bp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(HoldIn)
@bp.response(201, HoldOut)
@answers(400, 401, 403, 404, 409, 422)
def create_hold(body, key):
    """Hold places (needs an open shift), or seats of a seated show (`seat_ids`, or the best available in a
    `zone`): 201 with the hold, 409 when not enough is left; the same key answers the same hold."""
    sale, warning = sale_arguments({"items": [], **body}), None
    try:
        if wants_seats(body):  # reserved seating: chosen seats, or the best available in a zone
            hold, warning = hold_seats(body, sale, key)
        else:
            hold = sales.hold_places(current_user, event_id=sale["event_id"], quantities=sale["quantities"], key=key)
    except DuplicateKeyError:
        hold = sale_keys.held_again(current_user, key, body["event_id"], sale["quantities"], body.get("seat_ids"))
    return {"id": str(hold.pk), "event_id": str(hold.event_id), "status": hold.status,
            "expires_at": hold.expires_at, "lines": hold.lines, "seat_ids": list(hold.seats or []),
            "warning": warning}


@bp.route("/holds/<hold_id>", methods=["DELETE"])
@roles_required("seller")
@bp.doc(tags=["holds"])
@bp.response(204)
@answers(401, 403, 404, 409)
def delete_hold(hold_id):
    """Release one of the token user's holds; a released hold is gone, so releasing twice is no error."""
    if not ObjectId.is_valid(hold_id):
        raise NotFound(_("Hold not found."))
    if not inventory.release(ObjectId(hold_id), current_user) and \
            getattr(inventory.find_hold(ObjectId(hold_id), current_user), "status", None) == "sold":
        raise Conflict(_("These tickets were already sold: void or refund the order instead."))
    return "", 204
