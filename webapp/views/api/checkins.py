"""The door over the API, for scanner devices: check a ticket in at a gate, undo an admission, the counters."""
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ...security import roles_required
from ...services import door
from . import answers, bp, require_recent_sign_in
from .idempotency import idempotent
from .orders import TicketOut
from .schemas import MAX_TEXT, Id, IdempotencyHeader, In, Int, Text

REASONS = ("admitted", "used", "void", "other_show", "unknown", "show_closed")


class CheckinIn(In):
    code = Text(200, required=True, metadata={"description": "as scanned or typed (spaces and dashes forgiven)"})
    gate = Text(200, required=True, metadata={"description": "the gate's name, e.g. Porta A (at most 40 letters)"})
    event_id = Id(metadata={"description": "the show this gate admits to; absent: the ticket's own show"})


class CheckinOut(Schema):
    admitted = fields.Boolean(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(REASONS))
    message = fields.String(required=True, metadata={"description": "what the door page shows"})
    code = fields.String(required=True)
    ticket = fields.Nested(TicketOut, allow_none=True)


class UndoIn(In):
    code = Text(200, required=True)
    event_id = Id(required=True)
    reason = Text(MAX_TEXT, required=True)


class GateCount(Schema):
    gate = fields.String(allow_none=True)
    admitted = Int(required=True)


class DoorCountsOut(Schema):
    sold = Int(required=True, metadata={"description": "tickets that let someone in (valid or entered)"})
    admitted = Int(required=True)
    gates = fields.List(fields.Nested(GateCount), required=True)


@bp.route("/checkins", methods=["POST"])
@roles_required("door")
@bp.doc(tags=["door"])
@bp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(CheckinIn)
@idempotent
@bp.response(200, CheckinOut)
@answers(400, 401, 403, 404, 409, 422)
def check_in(body):
    """Admit a ticket once, or refuse it with the door page's reason (used, void, other show, unknown, closed)."""
    result = door.check_in(body["code"], body["gate"], current_user._get_current_object(), body.get("event_id"))
    return {"admitted": result.admitted, "reason": result.reason, "message": result.message, "code": result.code,
            "ticket": result.ticket}


@bp.route("/checkins/undo", methods=["POST"])
@roles_required("manager")
@bp.doc(tags=["door"])
@bp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(UndoIn)
@idempotent
@bp.response(200, TicketOut)
@answers(400, 401, 403, 404, 409, 422)
def undo_check_in(body):
    """A manager (signed in recently) lets an admitted ticket in again, with a reason (audited)."""
    require_recent_sign_in()
    return door.undo_admission(body["code"], body["event_id"], current_user._get_current_object(), body["reason"])


@bp.route("/events/<event_id>/door")
@roles_required("door")
@bp.doc(tags=["door"])
@bp.response(200, DoorCountsOut)
@answers(401, 403, 404)
def door_counts(event_id):
    """Who came in to the show, in total and per gate."""
    counts = door.door_counts(event_id)
    return {**counts, "gates": [{"gate": gate, "admitted": n} for gate, n in counts["gates"]]}
