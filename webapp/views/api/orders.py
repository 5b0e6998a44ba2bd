"""Sales over the API: the same sale service as the counter, with an Idempotency-Key header."""
from flasgger import swag_from
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ...models import Ticket
from ...payment_methods import METHODS
from ...services import NotFound, ServiceError
from ...services import orders as order_service
from ...services import sales
from ...security import roles_required
from . import bp, iso, json_body

# What a payment carries: its method, its part, and whatever identifies a payment of its method (the registry).
PAYMENT_KEYS = ("method", "amount_cents") + tuple(dict.fromkeys(m.identifier for m in METHODS.values()))
SALE_SPEC = {
    "tags": ["orders"], "summary": "Sell tickets of one show (needs an open shift of the token's user)",
    "parameters": [
        {"in": "header", "name": "Idempotency-Key", "type": "string", "required": True,
         "description": "8–64 letters, digits or dashes; the same key again with the same body returns the same "
                        "order, with a different body a 422"},
        {"in": "body", "name": "body", "required": True, "schema": {"type": "object", "properties": {
            "event_id": {"type": "string"},
            "items": {"type": "array", "items": {"type": "object", "properties": {
                "ticket_type_id": {"type": "string"}, "quantity": {"type": "integer"},
                "documents": {"type": "array", "items": {"type": "string"}}}}},
            "payments": {"type": "array", "items": {"type": "object", "properties": {
                k: {"type": "integer" if k.endswith("_cents") else "string"} for k in PAYMENT_KEYS}}},
            "customer": {"type": "object", "properties": {k: {"type": "string"} for k in ("name", "email", "phone")}},
            "hold_id": {"type": "string", "description": "a hold from POST /holds with exactly these items; without "
                                                          "one, the places are held and sold in this one call"}}}}],
    "responses": {"201": {"description": "the order"}, "400": {"description": "{error, fields}"},
                  "404": {"description": "show or ticket type not found"}, "409": {"description": "sold out"},
                  "422": {"description": "the Idempotency-Key already sold an order for a different body"}},
}


def order_json(order, tickets=None):
    """An order as the API shows it (money in integer cents, times in UTC)."""
    tickets = order_service.tickets_of(order) if tickets is None else tickets
    return {"number": order.number, "event_id": str(order.event_id), "event_title": order.event_title,
            "status": order.status, "email_status": order.email_status, "total_cents": order.total_cents,
            "created_at": iso(order.created_at), "confirmed_at": iso(order.confirmed_at),
            "lines": [{"ticket_type_id": str(l.ticket_type_id), "name": l.name, "quantity": l.quantity,
                       "unit_price_cents": l.unit_price_cents, "subtotal_cents": l.subtotal_cents} for l in order.lines],
            "payments": [{k: p[k] for k in PAYMENT_KEYS + ("change_cents",) if p[k] is not None} for p in order.payments],
            "tickets": [ticket_json(t) for t in tickets]}


def ticket_json(ticket):
    return {"code": ticket.code, "order_number": ticket.order_number, "event_id": str(ticket.event_id),
            "ticket_type_id": str(ticket.ticket_type_id), "tier": ticket.tier_name, "price_cents": ticket.price_cents,
            "status": ticket.status, "used_at": iso(ticket.used_at), "seat": ticket.seat.as_dict() if ticket.seat else None}


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _add(total, quantity):
    """Quantities of one ticket type summed; a malformed one is kept as is so the sale refuses it by name."""
    if _whole(total) and _whole(quantity):
        return total + quantity
    return total if not _whole(total) else quantity


def sale_arguments(body):
    """The JSON body as sell()'s keyword arguments; a wrong shape is a 400, never a 500."""
    items, payments = body.get("items"), body.get("payments", [])
    customer = body.get("customer") or {}
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items) or not isinstance(payments, list) \
            or not all(isinstance(p, dict) for p in payments) or not isinstance(customer, dict):
        raise ServiceError(_("Send items and payments as lists of objects."), "items")
    quantities, documents = {}, {}
    for item in items:  # two items of one ticket type add up (quantities and concession documents)
        tier_id = str(item.get("ticket_type_id"))
        quantities[tier_id] = _add(quantities.get(tier_id, 0), item.get("quantity"))
        docs = item.get("documents") if isinstance(item.get("documents"), list) else []
        documents.setdefault(tier_id, []).extend(str(d) for d in docs)
    return {"event_id": body.get("event_id"), "quantities": quantities, "documents": documents,
            "payments": [{k: p.get(k) for k in PAYMENT_KEYS} for p in payments],
            "customer": {k: str(v) for k, v in customer.items() if k in ("name", "email", "phone") and v},
            "hold_id": str(body["hold_id"]) if body.get("hold_id") else None, "seat_ids": body.get("seat_ids")}


@bp.route("/orders", methods=["POST"])
@roles_required("seller")
@swag_from(SALE_SPEC)
def create_order():
    """Sell tickets (against a hold when `hold_id` is given); the same Idempotency-Key returns the first order."""
    order = sales.sell(current_user, idempotency_key=request.headers.get("Idempotency-Key"),
                       **sale_arguments(json_body()))
    return jsonify(order_json(order)), 201


@bp.route("/orders/<number>")
@roles_required("seller")
@swag_from({"tags": ["orders"], "summary": "One order with its tickets",
            "parameters": [{"in": "path", "name": "number", "type": "string", "required": True}],
            "responses": {"200": {"description": "the order"}, "404": {"description": "not found"}}})
def get_order(number):
    """An order by its number."""
    return jsonify(order_json(order_service.get_order(number)))


@bp.route("/tickets/<code>")
@roles_required("seller", "door")
@swag_from({"tags": ["orders"], "summary": "One ticket by its code",
            "parameters": [{"in": "path", "name": "code", "type": "string", "required": True}],
            "responses": {"200": {"description": "the ticket"}, "404": {"description": "not found"}}})
def get_ticket(code):
    """A ticket by its code (status valid, used or void)."""
    ticket = Ticket.objects(code=code).first() if len(code) <= 64 else None
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return jsonify(ticket_json(ticket))
