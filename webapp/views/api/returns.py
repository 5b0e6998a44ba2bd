"""Voids, refunds and exchanges over the API: the same services as the order page, each with an Idempotency-Key."""
from flask import g
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ...payment_methods import REFUND_CODES
from ...security import roles_required
from ...services import exchanges, refunds
from ...services import orders as order_service
from ...services.payments import MAX_PAYMENTS
from . import answers, bp, require_recent_sign_in
from .orders import OrderOut, PaymentIn, order_json
from .idempotency import idempotent
from .schemas import MAX_TEXT, Bool, Cents, Id, IdempotencyHeader, In, Int, PageQuery, PageSchema, Text, UtcDateTime, page_of

CODES = fields.List(Text(64, 1), validate=validate.Length(1, 200),
                    metadata={"description": "ticket codes of the order; absent: all its live tickets"})

class BY_METHOD:
    """{method: cents} and {method: reference} over the refund methods."""

    cents = Schema.from_dict({code: Cents() for code in REFUND_CODES}, name="CentsByMethod")
    references = Schema.from_dict({code: Text(80) for code in REFUND_CODES}, name="ReferenceByMethod")


class VoidIn(In):
    ticket_codes = CODES


class RefundIn(In):
    ticket_codes = CODES
    reason = Text(MAX_TEXT, required=True)
    method = fields.String(validate=validate.OneOf(REFUND_CODES),
                           metadata={"description": "all of it back by this method (else the order's own methods)"})
    reference = Text(80, metadata={"description": "the card reversal / Pix refund reference of `method`"})
    split = fields.Nested(BY_METHOD.cents, metadata={"description": "{method: cents} adjusted by staff"})
    references = fields.Nested(BY_METHOD.references, metadata={"description": "{method: reference}"})
    override_used = Bool(load_default=False, metadata={"description": "refund tickets already used at the door"})
    override_reason = Text(MAX_TEXT)


class ExchangeIn(In):
    ticket_codes = fields.List(Text(64, 1), required=True, validate=validate.Length(1, 200))
    event_id = Id(required=True)
    ticket_type_id = Id(required=True)
    reason = Text(MAX_TEXT, required=True)
    payments = fields.List(fields.Nested(PaymentIn), validate=validate.Length(0, MAX_PAYMENTS),
                           metadata={"description": "what a dearer ticket type costs more"})
    refund_split = fields.Nested(BY_METHOD.cents)
    refund_references = fields.Nested(BY_METHOD.references)
    seat_ids = fields.List(Text(40, 1), validate=validate.Length(1, 200),
                           metadata={"description": "a seated show: the new seats, one per ticket (else the best)"})
    documents = fields.List(Text(30, 1), validate=validate.Length(1, 200),
                            metadata={"description": "a concession (meia-entrada) ticket type: the holders' documents, "
                                                     "one per ticket (else those of the old tickets)"})


class SettleIn(In):
    reference = Text(80, metadata={"description": "card: the reversal reference; Pix: the refund reference"})


class RefundOut(Schema):
    method = fields.String(required=True)
    amount_cents = Int(required=True)
    status = fields.String(required=True)
    reference = fields.String(allow_none=True)
    at = UtcDateTime(allow_none=True)


class PendingOut(RefundOut):
    order_number = fields.String(required=True)
    index = Int(required=True, metadata={"description": "the refund's place in its order (to settle it)"})
    event_id = fields.String(required=True)
    event_title = fields.String(allow_none=True)


class PendingPage(PageSchema):
    items = fields.List(fields.Nested(PendingOut), required=True)


class ReversalOut(Schema):
    order = fields.Nested(OrderOut, required=True)
    tickets = fields.List(fields.String(), required=True, metadata={"description": "the codes voided by this call"})
    amount_cents = Int(required=True)
    refunds = fields.List(fields.Nested(RefundOut), required=True)
    repeated = fields.Boolean(required=True, metadata={"description": "nothing changed: done before (same key)"})


def _outcome(outcome):
    return {"order": order_json(outcome.order), "tickets": outcome.tickets, "amount_cents": outcome.amount_cents,
            "refunds": outcome.refunds, "repeated": outcome.repeated}


@bp.route("/orders/<number>/void", methods=["POST"])
@roles_required("seller")
@bp.doc(tags=["returns"])
@bp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(VoidIn)
@bp.response(200, ReversalOut)
@answers(400, 401, 403, 404, 409, 422)
def void_order(body, number, key):
    """Void the order (or some tickets) sold in the caller's open shift, before the show starts."""
    order = order_service.get_order(number)
    return _outcome(refunds.void_tickets(current_user, order, body.get("ticket_codes"), idempotency_key=key))


@bp.route("/orders/<number>/refund", methods=["POST"])
@roles_required("manager")
@bp.doc(tags=["returns"])
@bp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(RefundIn)
@bp.response(200, ReversalOut)
@answers(400, 401, 403, 404, 409, 422)
def refund_order(body, number, key):
    """Refund the order (or some tickets) before the show ends (a manager, signed in recently)."""
    require_recent_sign_in()
    order = order_service.get_order(number)
    codes = body.pop("ticket_codes", None)
    return _outcome(refunds.refund_tickets(current_user, order, codes, idempotency_key=key, **body))


@bp.route("/orders/<number>/exchange", methods=["POST"])
@roles_required("manager")
@bp.doc(tags=["returns"])
@bp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(ExchangeIn)
@bp.response(201, OrderOut)
@answers(400, 401, 403, 404, 409, 422)
def exchange_order(body, number, key):
    """Move tickets to another ticket type or show: the new order (a dearer one paid with `payments`)."""
    require_recent_sign_in()
    g.api_field_names = {"documents": "documents"}  # this body has its own `documents` (a sale's are in `items`)
    order = order_service.get_order(number)
    payments = [{k: v for k, v in p.items() if v is not None} for p in body.get("payments", [])]
    new = exchanges.exchange_tickets(
        current_user, order, body["ticket_codes"], event_id=body["event_id"], tier_id=body["ticket_type_id"],
        reason=body["reason"], idempotency_key=key, payments=payments, refund_split=body.get("refund_split"),
        refund_references=body.get("refund_references"), seat_ids=body.get("seat_ids"), documents=body.get("documents"))
    return order_json(new)


@bp.route("/refunds/pending")
@roles_required("manager")
@bp.doc(tags=["returns"])
@bp.arguments(PageQuery, location="query")
@bp.response(200, PendingPage)
@answers(400, 401, 403)
def pending_refunds(args):
    """Refunds still to pay out (cancelled shows), oldest first."""
    rows = [{"order_number": order.number, "index": index, "event_id": str(order.event_id),
             "event_title": order.event_title, "method": refund.method, "amount_cents": refund.amount_cents,
             "status": refund.status, "reference": refund.reference, "at": refund.at}
            for order, index, refund in refunds.pending_refunds()]
    return page_of(rows, args["page"], args["per_page"])


@bp.route("/orders/<number>/refunds/<int:index>/settle", methods=["POST"])
@roles_required("manager")
@bp.doc(tags=["returns"])
@bp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(SettleIn)
@idempotent
@bp.response(200, OrderOut)
@answers(400, 401, 403, 404, 409, 422)
def settle_refund(body, number, index):
    """Mark a pending refund paid (cash leaves the manager's drawer; card/Pix with the reversal reference)."""
    require_recent_sign_in()
    return order_json(refunds.settle_refund(current_user, number, index, body.get("reference")))
