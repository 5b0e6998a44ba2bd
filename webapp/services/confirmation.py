"""The worker's side of a sale: confirm the order and e-mail its tickets — safe to run more than once."""
from flask_babel import force_locale

from ..models import Order
from ..models.base import utcnow
from . import mail
from .orders import tickets_of


class PaymentNotConfirmed(Exception):
    """The order's payment was declared failed: the sale must be undone, not retried."""


def confirm_order(order_id):
    """Mark a pending order confirmed and send the customer's e-mail once; returns what happened."""
    order = Order.objects(pk=order_id).first()
    if order is None:
        return "missing"
    if any(p.status == "failed" for p in order.payments):
        raise PaymentNotConfirmed(order.number)
    if order.status == "pending" and not Order.objects(pk=order.pk, status="pending").update_one(
            set__status="confirmed", set__confirmed_at=utcnow()):
        order.reload()  # voided or refunded between our read and our write
    if order.status in ("voided", "refunded", "failed"):
        return order.status  # no ticket left: nothing to send
    # Partly refunded (or exchanged) before we ran: the tickets still valid are e-mailed all the same.
    if order.customer and order.customer.email and order.email_status != "sent":
        with force_locale("pt_BR"):  # the box office's language; customers are local
            message = mail.build_confirmation(order, [t for t in tickets_of(order) if t.status == "valid"])
        mail.send(message)
        Order.objects(pk=order.pk).update_one(set__email_status="sent", unset__email_error=True)
    return "confirmed"
