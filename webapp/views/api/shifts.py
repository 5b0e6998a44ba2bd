"""Cash shifts over the API: open with the float, read the reckoning, close with the cash counted."""
from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields

from ...security import roles_required
from ...services import NotFound
from ...services import shifts as shift_service
from ...services.door import Forbidden
from . import answers, bp
from .idempotency import idempotent
from .schemas import Cents, IdempotencyHeader, In, Int, UtcDateTime

CENTS = {"allow_none": True, "metadata": {"description": "integer cents; absent or null while a blind count hides it"}}


class OpenIn(In):
    opening_float_cents = Cents(required=True)


class CloseIn(In):
    counted_cash_cents = Cents(required=True)


class ShiftOut(Schema):
    id = fields.String(required=True)
    seller_name = fields.String(allow_none=True)
    status = fields.String(required=True)
    opened_at = UtcDateTime(required=True)
    closed_at = UtcDateTime(allow_none=True)
    blind = fields.Boolean(required=True)
    by_method = fields.Dict(keys=fields.String(), values=Int(), required=True,
                            metadata={"description": "{method: cents} taken"})
    comps_given = Int(required=True)
    opening_float_cents = Int(**CENTS)
    cash_in_cents = Int(**CENTS)
    change_out_cents = Int(**CENTS)
    cash_refunds_cents = Int(**CENTS)
    expected_cash_cents = Int(**CENTS)
    counted_cash_cents = Int(**CENTS)
    difference_cents = Int(**CENTS)


def shift_json(shift):
    """The shift with its reckoning (shift_summary), blind for its own seller when SHIFT_BLIND_COUNT is on."""
    blind = current_app.config["SHIFT_BLIND_COUNT"] and shift.seller_id == current_user.pk
    summary = shift_service.shift_summary(shift, blind=blind)
    figures = {f"{k}_cents": summary.get(k) for k in ("opening_float", "cash_in", "change_out", "cash_refunds",
                                                      "expected_cash", "counted_cash", "difference")}
    return {"id": str(shift.pk), "seller_name": shift.seller_name, "status": shift.status,
            "opened_at": shift.opened_at, "closed_at": shift.closed_at, "blind": summary["blind"],
            "by_method": summary["by_method"], "comps_given": summary["comps_given"] or 0, **figures}


def _own(shift_id):
    shift = shift_service.get_shift(shift_id)
    if shift.seller_id != current_user.pk and not current_user.has_role("manager"):
        raise Forbidden(_("This shift belongs to another seller."))
    return shift


@bp.route("/shifts", methods=["POST"])
@roles_required("seller")
@bp.doc(tags=["shifts"])
@bp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(OpenIn)
@idempotent
@bp.response(201, ShiftOut)
@answers(400, 401, 403, 409, 422)
def open_shift(body):
    """Open the caller's cash shift with the float in the drawer (409 when one is open)."""
    return shift_json(shift_service.open_shift(current_user, body["opening_float_cents"]))


@bp.route("/shifts/current")
@roles_required("seller")
@bp.doc(tags=["shifts"])
@bp.response(200, ShiftOut)
@answers(401, 403, 404)
def current_shift():
    """The caller's open shift."""
    shift = shift_service.current_shift(current_user)
    if shift is None:
        raise NotFound(_("No open shift."))
    return shift_json(shift)


@bp.route("/shifts/<shift_id>")
@roles_required("seller")
@bp.doc(tags=["shifts"])
@bp.response(200, ShiftOut)
@answers(401, 403, 404)
def get_shift(shift_id):
    """One shift (the caller's own; a manager's any)."""
    return shift_json(_own(shift_id))


@bp.route("/shifts/<shift_id>/close", methods=["POST"])
@roles_required("seller")
@bp.doc(tags=["shifts"])
@bp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(CloseIn)
@idempotent
@bp.response(200, ShiftOut)
@answers(400, 401, 403, 404, 409, 422)
def close_shift(body, shift_id):
    """Close the shift with the cash counted: expected cash and the difference are stored (409 when closed)."""
    return shift_json(shift_service.close_shift(current_user, _own(shift_id), body["counted_cash_cents"]))
