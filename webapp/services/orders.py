"""Orders after the sale: finding them, printing audit, confirmation and the saga's compensation."""
import re

from flask_babel import gettext as _

from .. import db
from ..models import Order, OutboxMessage, Shift, Ticket
from ..models.base import utcnow
from . import NotFound, aggregates
from .audit import record
from .sales import return_seats
from .shifts import shift_increment

LOOKUP_LIMIT = 50
_NUMBER = re.compile(r"^\d{6}-[0-9A-Z]{6}$")


def get_order(number):
    """The order with this number (case and spaces forgiven), or NotFound."""
    order = Order.objects(number=(number or "").strip().upper()).first()
    if order is None:
        raise NotFound(_("Order not found."))
    return order


def tickets_of(order):
    return list(Ticket.objects(order_id=order.pk).order_by("created_at", "id"))


def find_orders(query):
    """Orders matching an order number, a ticket code, or the customer's document, e-mail or name (newest first)."""
    text = (query or "").replace("\x00", "").strip()  # MongoDB refuses a NUL byte in a regex pattern
    if not text or len(text) > 120:
        return []
    if _NUMBER.match(text.upper()):
        return list(Order.objects(number=text.upper()))
    ticket = Ticket.objects(code=text).first()
    if ticket is not None:
        return list(Order.objects(pk=ticket.order_id))
    ids = set(Ticket.objects(holder_document=text).distinct("order_id"))
    name = {"customer__name": re.compile(re.escape(text), re.IGNORECASE)} if len(text) >= 3 else {}
    found = Order.objects(__raw__={"$or": [{"customer.document": text}, {"customer.email": text.lower()},
                                           {"_id": {"$in": list(ids)}}]})
    orders = {o.pk: o for o in found.order_by("-created_at").limit(LOOKUP_LIMIT)}
    if name:
        orders.update({o.pk: o for o in Order.objects(**name).order_by("-created_at").limit(LOOKUP_LIMIT)})
    return sorted(orders.values(), key=lambda o: o.created_at, reverse=True)[:LOOKUP_LIMIT]


def recent_orders(user, limit=20):
    """The user's latest sales (a manager sees everyone's)."""
    orders = Order.objects if user.has_role("manager") else Order.objects(seller_id=user.pk)
    return list(orders.order_by("-created_at").limit(limit))


def record_print(user, order):
    """Count a print of the order's tickets; every print after the first is audited as a reprint."""
    updated = Order.objects(pk=order.pk).modify(inc__print_count=1, new=True)
    if updated.print_count > 1:
        record("order.reprint", user, target=order, order_number=order.number, event_id=order.event_id,
               after={"print_count": updated.print_count})
    return updated


def failed_confirmations(limit=100):
    """Orders whose confirmation work failed for good, for the admins' list."""
    return list(Order.objects(__raw__={"$or": [{"email_status": "failed"}, {"status": "failed"}]})
                .order_by("-created_at").limit(limit))


def _release_in(session, order_id, reason):
    orders = Order._get_collection()
    raw = orders.find_one_and_update(
        {"_id": order_id, "released_at": None, "status": {"$in": ["pending", "confirmed"]}},
        {"$set": {"status": "failed", "released_at": utcnow()}}, session=session)
    if raw is None:
        return False  # already released, voided or refunded: the seats went back once, not twice
    order = Order._from_son(raw)
    return_seats(session, order.event_id, [line.to_mongo() for line in order.lines])
    Ticket._get_collection().update_many({"order_id": order_id, "status": "valid"},
                                         {"$set": {"status": "void", "voided_at": utcnow()}}, session=session)
    if order.shift_id:
        inc = {k: -v for k, v in shift_increment(order.payments, order.comp_count).items()}
        Shift._get_collection().update_one({"_id": order.shift_id}, {"$inc": inc}, session=session)
    record("order.release", None, session=session, target=order, reason=reason, order_number=order.number,
           event_id=order.event_id, before={"status": order.status}, after={"status": "failed"})
    # issue 6: the sale leaves the report figures as of its release (the rebuild replays it from released_at).
    released_at = orders.find_one({"_id": order_id}, {"released_at": 1}, session=session)["released_at"]
    aggregates.record_void(session, raw, at=released_at)
    return True


def release_order(order_id, reason):
    """Saga compensation: undo a sale that cannot be confirmed for good — seats back, tickets void — once only.

    Returns True when this call released it, False when it had already been released (or voided).
    """
    return db.run_in_transaction(_release_in, order_id, reason)


def mark_confirmation_failed(order_id, message_id, error):
    """The confirmation job gave up: the outbox message and the order's e-mail show it to admins."""
    error = (error or "")[:500]
    if message_id:
        OutboxMessage.objects(pk=message_id).update_one(set__status="failed", set__last_error=error,
                                                        set__finished_at=utcnow())
    Order.objects(pk=order_id, email_status__in=["pending", "failed"]).update_one(
        set__email_status="failed", set__email_error=error)
