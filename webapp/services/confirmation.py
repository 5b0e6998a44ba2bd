"""The worker's side of a sale: confirm the order and e-mail its tickets — safe to run more than once.

The e-mail is handed to the SMTP server at most once per try: the attempt is recorded (email_status "sending")
before the SMTP exchange and settled ("sent") after it. A run that finds an attempt never settled (its worker was
killed mid-exchange) cannot know whether the server took the message, so it does not send it again: the order's
e-mail shows as failed, "may have arrived", for staff to resend by hand (the same Message-ID, shown once).
"""
import time
import uuid

from flask_babel import force_locale
from pymongo.errors import PyMongoError

from ..models import Order
from ..models.order import NO_TICKET_LEFT
from ..models.base import utcnow
from . import mail
from .orders import tickets_of


SETTLE_SECONDS = 60  # keep trying to record "sent" this long: an election takes seconds, a resend is worse
UNSETTLED = "unsettled"  # confirm_order's answer when an earlier attempt may have sent the e-mail
UNSETTLED_ERROR = "e-mail attempt unsettled"  # read by people through labels.SYSTEM_ERROR


class PaymentNotConfirmed(Exception):
    """The order's payment was declared failed: the sale must be undone, not retried."""


def _settle(order_id, changes, deadline):
    """Record the SMTP exchange's outcome on the order, retrying through a failover until the deadline (pymongo's
    own errors: MongoEngine's update would wrap some of them in its OperationError)."""
    while True:
        try:
            return Order._get_collection().update_one({"_id": order_id, "email_status": "sending"}, changes)
        except PyMongoError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.5)


def _record(order_id, deadline):
    """Record the attempt ("sending", with this run's own token); True when this run holds it. A failover may
    lose the answer of a write that was made: the token read back says whether it was (else: try again)."""
    token, orders = uuid.uuid4().hex, Order._get_collection()
    while True:
        try:
            return orders.update_one({"_id": order_id, "email_status": {"$in": ["pending", "failed"]}},
                                     {"$set": {"email_status": "sending", "email_attempt": token,
                                               "email_attempted_at": utcnow()}}).modified_count == 1
        except PyMongoError:
            if time.monotonic() >= deadline:
                raise
        while True:  # made or not? ask until the database answers
            time.sleep(0.5)
            try:
                raw = orders.find_one({"_id": order_id}, {"email_attempt": 1, "email_status": 1})
                break
            except PyMongoError:
                if time.monotonic() >= deadline:
                    raise
        if raw.get("email_attempt") == token:
            return raw["email_status"] == "sending"


def send_once(order, message):
    """Hand `message` to SMTP unless an attempt already did: record, send, settle. Returns "sent" or UNSETTLED."""
    if order.email_status == "sending":  # an attempt whose outcome nobody recorded: never a second copy
        Order.objects(pk=order.pk, email_status="sending").update_one(set__email_status="failed",
                                                                      set__email_error=UNSETTLED_ERROR)
        return UNSETTLED
    deadline = time.monotonic() + SETTLE_SECONDS
    if not _record(order.pk, deadline):
        return "sent"  # a twin run took it (or sent it) meanwhile
    try:
        mail.send(message)
    except Exception as exc:  # refused or unreachable: nothing was handed over; RQ tries again
        _settle(order.pk, {"$set": {"email_status": "pending", "email_error": str(exc)[:500]}}, deadline)
        raise
    _settle(order.pk, {"$set": {"email_status": "sent"}, "$unset": {"email_error": ""}}, deadline)
    return "sent"


UNSENT = ("pending", "failed")


def drop_unsendable_emails():
    """Orders earlier versions left "to be sent" though no ticket was left to send (`flask init-db`): dropped, as
    confirm_many marks them now; returns how many."""
    return Order.objects(status__in=NO_TICKET_LEFT, email_status__in=UNSENT).update(set__email_status="dropped")


def confirm_many(order_ids):
    """Confirm a batch of orders (one read, one write for all): returns ({order_id: outcome}, orders to e-mail).

    An outcome is what confirm_order answers, or a PaymentNotConfirmed for an order whose payment failed (its
    compensation is the caller's). The orders to e-mail are confirmed; each goes to email_confirmation."""
    found = {o.pk: o for o in Order.objects(pk__in=list(order_ids))}
    orders = {i: found[i] for i in order_ids if i in found}  # in the batch's order: oldest sale first
    outcomes = {i: "missing" for i in order_ids if i not in orders}
    for order in orders.values():
        if any(p.status == "failed" for p in order.payments):
            outcomes[order.pk] = PaymentNotConfirmed(order.number)
    pending = [o.pk for o in orders.values() if o.status == "pending" and o.pk not in outcomes]
    if pending and Order.objects(pk__in=pending, status="pending").update(
            set__status="confirmed", set__confirmed_at=utcnow()) < len(pending):
        # Some were voided or refunded between our read and our write: their status now decides.
        for raw in Order._get_collection().find({"_id": {"$in": pending}}, {"status": 1}):
            orders[raw["_id"]].status = raw["status"]
    to_mail = []
    for order in orders.values():
        if order.pk in outcomes:
            continue
        if order.status in NO_TICKET_LEFT:
            outcomes[order.pk] = order.status  # no ticket left: nothing to send, and none will be
            Order.objects(pk=order.pk, email_status__in=UNSENT).update_one(set__email_status="dropped")
        # Partly refunded (or exchanged) before we ran: the tickets still valid are e-mailed all the same.
        elif order.customer and order.customer.email and order.email_status in ("pending", "failed", "sending"):
            to_mail.append(order)
        else:
            outcomes[order.pk] = "confirmed"
    return outcomes, to_mail


def email_confirmation(order):
    """E-mail a confirmed order's valid tickets once; "confirmed", or UNSETTLED when an earlier attempt may have."""
    with force_locale("pt_BR"):  # the box office's language; customers are local
        message = mail.build_confirmation(order, [t for t in tickets_of(order) if t.status == "valid"])
    return UNSETTLED if send_once(order, message) == UNSETTLED else "confirmed"


def confirm_order(order_id):
    """Mark a pending order confirmed and send the customer's e-mail once; returns what happened."""
    outcomes, to_mail = confirm_many([order_id])
    if to_mail:
        return email_confirmation(to_mail[0])
    if isinstance(outcomes[order_id], PaymentNotConfirmed):
        raise outcomes[order_id]
    return outcomes[order_id]
