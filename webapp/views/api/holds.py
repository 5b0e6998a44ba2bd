"""Holds over the API: places held for a few minutes while the customer pays, then sold with POST /orders."""
from bson import ObjectId
from flasgger import swag_from
from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from ...services import Conflict, NotFound, inventory, sales
from ...security import roles_required
from . import bp, iso, json_body
from . import seats
from .orders import sale_arguments

HOLD_SPEC = {
    "tags": ["holds"], "summary": "Hold places of one show while the customer pays (needs an open shift)",
    "parameters": [{"in": "body", "name": "body", "required": True, "schema": {"type": "object", "properties": {
        "event_id": {"type": "string"},
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "ticket_type_id": {"type": "string"}, "quantity": {"type": "integer"}}}}, **seats.SEAT_HOLD_SPEC}}}],
    "responses": {"201": {"description": "{id, expires_at, lines}"}, "400": {"description": "{error, fields}"},
                  "404": {"description": "show or ticket type not found"},
                  "409": {"description": "not enough places left (sold out / only N left)"}},
}


def hold_json(hold):
    return {"id": str(hold.pk), "event_id": str(hold.event_id), "status": hold.status,
            "expires_at": iso(hold.expires_at),
            "lines": [{"ticket_type_id": str(line["ticket_type_id"]), "name": line["name"],
                       "quantity": line["quantity"]} for line in hold.lines], "seat_ids": list(hold.seats or [])}


@bp.route("/holds", methods=["POST"])
@roles_required("seller")
@swag_from(HOLD_SPEC)
def create_hold():
    """Hold places: 201 with the hold, 409 when not enough is left."""
    body = json_body()
    sale = sale_arguments({"payments": [], "items": [], **body})
    if seats.wants_seats(body):  # reserved seating: chosen seats, or the best available in a zone
        hold, warning = seats.hold_seats(body, sale)
        return jsonify({**hold_json(hold), "warning": warning}), 201
    hold = sales.hold_places(current_user, event_id=sale["event_id"], quantities=sale["quantities"])
    return jsonify(hold_json(hold)), 201


@bp.route("/holds/<hold_id>", methods=["DELETE"])
@roles_required("seller")
@swag_from({"tags": ["holds"], "summary": "Release a hold (its places go back on sale)",
            "parameters": [{"in": "path", "name": "hold_id", "type": "string", "required": True}],
            "responses": {"204": {"description": "released (or no longer held)"},
                          "404": {"description": "not found"}, "409": {"description": "already sold"}}})
def delete_hold(hold_id):
    """Release one of the token user's holds; a released hold is gone, so releasing twice is no error."""
    if not ObjectId.is_valid(hold_id):
        raise NotFound(_("Hold not found."))
    if not inventory.release(ObjectId(hold_id), current_user) and \
            getattr(inventory.find_hold(ObjectId(hold_id), current_user), "status", None) == "sold":
        raise Conflict(_("These tickets were already sold: void or refund the order instead."))
    return "", 204
