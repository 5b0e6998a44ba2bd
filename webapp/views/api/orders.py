"""Sales over the API: the same sale service as the counter, with an Idempotency-Key header; orders and tickets."""
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ...models import Ticket
from ...payment_methods import CODES, METHODS
from ...security import roles_required
from ...services import NotFound
from ...services import orders as order_service
from ...services import sales
from ...services.sale_inputs import MAX_QUANTITY
from ...services.payments import MAX_PAYMENTS
from . import answers, bp
from .schemas import Cents, Id, IdempotencyHeader, In, Int, PageQuery, PageSchema, Text, UtcDateTime, page_of

# What identifies a payment of each method (cash tendered, card code, Pix reference, comp reason): the registry.
IDENTIFIERS = tuple(dict.fromkeys(m.identifier for m in METHODS.values()))


class ItemIn(In):
    ticket_type_id = Id(required=True)
    quantity = Int(required=True, validate=validate.Range(0, MAX_QUANTITY))
    documents = fields.List(Text(30), validate=validate.Length(0, MAX_QUANTITY),
                            metadata={"description": "one per concession ticket"})


PaymentIn = In.from_dict({
    "method": fields.String(required=True, validate=validate.OneOf(CODES)),
    "amount_cents": Cents(allow_none=True, metadata={"description": "this part; null or absent: the rest"}),
    **{k: Cents(allow_none=True) if k.endswith("_cents") else Text(200, allow_none=True) for k in IDENTIFIERS},
}, name="PaymentIn")


class CustomerIn(In):
    name = Text(120, allow_none=True)
    email = Text(254, allow_none=True)
    phone = Text(30, allow_none=True)


class ItemsIn(In):
    event_id = Id(required=True)
    items = fields.List(fields.Nested(ItemIn), required=True, validate=validate.Length(1, 50))


class SaleIn(ItemsIn):
    payments = fields.List(fields.Nested(PaymentIn), load_default=list, validate=validate.Length(0, MAX_PAYMENTS))
    customer = fields.Nested(CustomerIn, load_default=dict)
    hold_id = Id(metadata={"description": "a hold from POST /holds with exactly these items; without one, the "
                                         "places are held and sold in this one call"})
    seat_ids = fields.List(Text(40, 1), validate=validate.Length(1, MAX_QUANTITY),
                           metadata={"description": "a seated show's seats, one per ticket (else the best available)"})


class LineOut(Schema):
    ticket_type_id = fields.String(required=True)
    name = fields.String(required=True)
    quantity = Int(required=True)
    unit_price_cents = Int(required=True)
    subtotal_cents = Int(required=True)


class TicketOut(Schema):
    code = fields.String(required=True)
    order_number = fields.String(required=True)
    event_id = fields.String(required=True)
    ticket_type_id = fields.String(required=True)
    tier = fields.String(required=True, attribute="tier_name")
    price_cents = Int(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("valid", "used", "void")))
    seat = fields.Nested("SeatOfTicket", allow_none=True, metadata={"description": "null: general admission"})
    used_at = UtcDateTime(allow_none=True)
    gate = fields.String(allow_none=True)


PaymentOut = Schema.from_dict({"method": fields.String(required=True), "amount_cents": Int(required=True),
                               "change_cents": Int(allow_none=True),
                               **{k: Int(allow_none=True) if k.endswith("_cents") else fields.String(allow_none=True)
                                  for k in IDENTIFIERS}}, name="PaymentOut")


class OrderOut(Schema):
    number = fields.String(required=True)
    event_id = fields.String(required=True)
    event_title = fields.String(required=True)
    status = fields.String(required=True)
    email_status = fields.String(allow_none=True)
    total_cents = Int(required=True)
    refunded_cents = Int(required=True)
    customer_name = fields.String(allow_none=True)
    created_at = UtcDateTime(required=True)
    confirmed_at = UtcDateTime(allow_none=True)
    lines = fields.List(fields.Nested(LineOut), required=True)
    payments = fields.List(fields.Nested(PaymentOut), required=True)
    tickets = fields.List(fields.Nested(TicketOut), required=True)


class OrderSummary(OrderOut):
    class Meta:
        exclude = ("tickets",)


class OrderPage(PageSchema):
    items = fields.List(fields.Nested(OrderSummary), required=True)


class OrderQuery(PageQuery):
    q = Text(120, metadata={"description": "an order number, a ticket code, or the customer's document, e-mail or "
                                           "name; without it, the caller's own recent sales"})


def order_json(order, tickets=None):
    """An order as the API shows it (money in integer cents, times in UTC)."""
    return {"number": order.number, "event_id": str(order.event_id), "event_title": order.event_title,
            "status": order.status, "email_status": order.email_status, "total_cents": order.total_cents,
            "refunded_cents": order.refunded_cents or 0,
            "customer_name": order.customer.name if order.customer else None,
            "created_at": order.created_at, "confirmed_at": order.confirmed_at, "lines": order.lines,
            "payments": [{k: p[k] for k in ("method", "amount_cents", "change_cents") + IDENTIFIERS}
                         for p in order.payments],
            "tickets": order_service.tickets_of(order) if tickets is None else tickets}


def sale_arguments(body):
    """The checked body as sell()'s keyword arguments: two items of one ticket type add up."""
    quantities, documents = {}, {}
    for item in body["items"]:
        quantities[item["ticket_type_id"]] = quantities.get(item["ticket_type_id"], 0) + item["quantity"]
        documents.setdefault(item["ticket_type_id"], []).extend(item.get("documents", []))
    return {"event_id": body["event_id"], "quantities": quantities, "documents": documents,
            "payments": [{k: v for k, v in p.items() if v is not None} for p in body.get("payments", [])],
            "customer": {k: v for k, v in body.get("customer", {}).items() if v},
            "hold_id": body.get("hold_id"), "seat_ids": body.get("seat_ids")}


@bp.route("/orders", methods=["POST"])
@roles_required("seller")
@bp.doc(tags=["orders"])
@bp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@bp.arguments(SaleIn)
@bp.response(201, OrderOut)
@answers(400, 401, 403, 404, 409, 422)
def create_order(body, key):
    """Sell tickets (against a hold when `hold_id` is given; needs an open shift); the same key answers the
    first order."""
    seller = current_user._get_current_object()  # the sale reads the seller a few times: not each through the proxy
    return order_json(sales.sell(seller, idempotency_key=key, **sale_arguments(body)))


@bp.route("/orders")
@roles_required("seller")
@bp.doc(tags=["orders"])
@bp.arguments(OrderQuery, location="query")
@bp.response(200, OrderPage)
@answers(400, 401, 403)
def list_orders(args):
    """Orders found by number, ticket code, document, e-mail or name (newest first), or one's recent sales."""
    found = order_service.find_orders(args["q"]) if args.get("q") else order_service.recent_orders(current_user, 100)
    return page_of([order_json(o, []) for o in found], args["page"], args["per_page"])


@bp.route("/orders/<number>")
@roles_required("seller")
@bp.doc(tags=["orders"])
@bp.response(200, OrderOut)
@answers(401, 403, 404)
def get_order(number):
    """An order by its number, with its tickets."""
    return order_json(order_service.get_order(number))


@bp.route("/tickets/<code>")
@roles_required("seller", "door")
@bp.doc(tags=["orders"])
@bp.response(200, TicketOut)
@answers(401, 403, 404)
def get_ticket(code):
    """A ticket by its code (status valid, used or void)."""
    ticket = Ticket.objects(code=code).first() if len(code) <= 64 else None
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return ticket
