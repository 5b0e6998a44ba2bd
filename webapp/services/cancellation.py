"""A cancelled show: every order refunded (pending until staff pay it out) and its customers told by e-mail.

The work is resumable and idempotent: orders are walked in _id order a batch at a time, each refunded in its
own transaction that skips tickets already void, so a worker killed mid-way and started again refunds each
order exactly once; the e-mail is marked sent per order. An e-mail that fails is marked failed with the reason
(the job still ends): the progress box says to whom and why, and a retry sends only those again.
"""
import logging
import smtplib
import time

from flask import current_app
from babel.dates import format_datetime
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from redis import Redis
from rq import Queue

from .. import db
from ..i18n import money
from ..models import Event, Order, OutboxMessage, Ticket
from ..models.base import utcnow
from ..payment_methods import label as method_label
from ..timezones import zone
from . import Conflict, mail
from .audit import record
from .refunds import reverse

log = logging.getLogger(__name__)
JOB = "webapp.jobs.cancellation.refund_cancelled_show"


def queue_refunds(session, event_id):
    """Inside the transaction that cancels the show: queue the refund job through the outbox (not lost if
    Redis is down). Nothing to queue when nothing was sold."""
    if not Order._get_collection().count_documents({"event_id": event_id}, limit=1, session=session):
        return False
    message = OutboxMessage(kind="event.cancel", payload={"event_id": str(event_id)})
    message.validate()
    OutboxMessage._get_collection().insert_one(message.to_mongo(), session=session)
    return True


def _live_orders(event_id):
    return set(Ticket.objects(event_id=event_id, status__in=("valid", "used")).distinct("order_id"))


def _failed_mail(event_id):
    return Order.objects(event_id=event_id, cancel_mailed_at=None, cancel_mail_error__ne=None)


def progress(event_id):
    """How far the refunds of a cancelled show are: {"total", "done", "mailed", "to_mail", "failed" (the orders
    whose e-mail failed, first 50), "failed_count", "finished"}. Finished once every order is refunded and every
    e-mail was either sent or failed (a failure waits for a person to retry it, not for the poll)."""
    total = Order.objects(event_id=event_id).count()
    done = total - len(_live_orders(event_id))
    to_mail = Order.objects(event_id=event_id, customer__email__exists=True, customer__email__ne=None).count()
    mailed = Order.objects(event_id=event_id, cancel_mailed_at__ne=None).count()
    failed = _failed_mail(event_id)
    failed_count = failed.count()
    return {"total": total, "done": done, "mailed": mailed, "to_mail": to_mail, "failed_count": failed_count,
            "failed": list(failed.only("number", "customer", "cancel_mail_error").order_by("number").limit(50)),
            "finished": done == total and mailed + failed_count >= to_mail}


def _body(order, event):
    """The plain-text e-mail (built here: the message catalogue extracts Python and HTML templates only)."""
    name = f" {order.customer.name}" if order.customer.name else ""
    lines = [_("Hello%(name)s,", name=name), "",
             _("We are sorry: the show %(show)s on %(date)s has been cancelled.", show=order.event_title,
               date=format_datetime(event.starts_at, "short", tzinfo=zone(event.venue.timezone),
                                    locale=str(get_locale()))),
             _("Your order %(number)s is being refunded: %(amount)s.", number=order.number,
               amount=money(order.refunded_cents))]
    lines += [f"- {money(r.amount_cents)} ({method_label(r.method)})" for r in order.refunds
              if r.kind == "cancellation" and r.amount_cents]
    lines += [_("Cash payments are paid back at the box office; card and Pix payments are reversed to the same "
                "account."), "", _("Your tickets are no longer valid.")]
    return "\n".join(lines) + "\n"


def _mail(order, event):
    with force_locale("pt_BR"):  # the box office's language; customers are local
        message = mail.new_message(_("Show cancelled: %(show)s (order %(number)s)", show=order.event_title,
                                     number=order.number), order.customer.email)
        message.set_content(_body(order, event))
    mail.send(message)
    Order.objects(pk=order.pk).update_one(set__cancel_mailed_at=utcnow())


def _reason(exc):
    """What the mail server said, short enough for the progress box (a refused address: its SMTP reply)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        exc = smtplib.SMTPResponseException(*next(iter(exc.recipients.values())))
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"[:500]
    return (str(exc) or type(exc).__name__)[:500]


def _try_mail(order, event):
    """Send the order's e-mail unless it was sent or failed; a failure is kept on the order. Returns the error."""
    if not (order.customer and order.customer.email) or order.cancel_mailed_at or order.cancel_mail_error:
        return None
    try:
        _mail(order, event)
    except (OSError, ValueError) as exc:  # SMTP down or the address refused (or unusable): the work goes on
        log.warning("cancellation mail for %s failed: %s", order.number, exc)
        Order.objects(pk=order.pk, cancel_mailed_at=None).update_one(set__cancel_mail_error=_reason(exc))
        return f"{order.number}: {_reason(exc)}"
    return None


def _handle(order, event, mail_only):
    """Refund one order (a no-op when already done) and send its e-mail once; returns a mail error or None."""
    if not mail_only:
        # No stored reason: the refund's kind ("cancellation") names it on every page, in the reader's language.
        reverse(order, "cancellation", None, override=True)
    return _try_mail(Order.objects.get(pk=order.pk), event)


def refund_cancelled_show(event_id, mail_only=False):
    """Refund every order of the cancelled show and e-mail its customers (mail_only: only send the e-mails not
    sent yet, after a retry); returns {"orders", "mail_errors"}."""
    event = Event.objects(pk=event_id).first()
    if event is None or event.status != "cancelled":
        return {"orders": 0, "mail_errors": []}
    size = current_app.config["CANCELLATION_BATCH_SIZE"]
    delay = current_app.config["CANCELLATION_BATCH_DELAY"]
    scope = {"customer__email__ne": None, "cancel_mailed_at": None, "cancel_mail_error": None} if mail_only else {}
    last, seen, errors = None, 0, []
    while True:
        query = Order.objects(event_id=event_id, **scope, **({"id__gt": last} if last else {}))
        batch = list(query.order_by("id").limit(size))
        if not batch:
            break
        for order in batch:
            error = _handle(order, event, mail_only)
            if error:
                errors.append(error)
        seen += len(batch)
        last = batch[-1].pk
        if delay:
            time.sleep(delay)  # a throttle between batches (and a knob for the kill-mid-way test)
    return {"orders": seen, "mail_errors": errors}


def _retry_in(session, actor, event_id):
    orders = Order._get_collection()
    failed = {"event_id": event_id, "cancel_mailed_at": None, "cancel_mail_error": {"$ne": None}}
    count = orders.count_documents(failed, session=session)
    if not count:
        return 0
    orders.update_many(failed, {"$unset": {"cancel_mail_error": ""}}, session=session)
    message = OutboxMessage(kind="event.cancel", payload={"event_id": str(event_id), "mail_only": True})
    message.validate()
    OutboxMessage._get_collection().insert_one(message.to_mongo(), session=session)
    record("cancellation.mail_retry", actor, session=session, event_id=event_id, after={"emails": count})
    return count


def retry_failed_mail(actor, event_id):
    """Send again only the cancellation e-mails that failed; returns how many. One transaction clears their
    failure and queues the job, so a repeat (double click) finds nothing failed and queues nothing."""
    if not _failed_mail(event_id).count():
        return 0
    if not progress(event_id)["finished"]:  # the running job still sends the rest: a retry now could send twice
        raise Conflict(_("The refunds of this show are still running: wait until they finish."))
    return db.run_in_transaction(_retry_in, actor, event_id)


def enqueue(event_id):
    """Hand the refund job of a cancelled show straight to RQ (resume after a worker died)."""
    connection = Redis.from_url(current_app.config["REDIS_URL"])
    queue = Queue(current_app.config["RQ_QUEUE"], connection=connection)
    return queue.enqueue(JOB, kwargs={"event_id": str(event_id)}, job_timeout=current_app.config["CANCELLATION_JOB_TIMEOUT"])


def resume_unfinished():
    """Queue the refund job again for every cancelled show with work left; returns the show ids."""
    shows = [e.pk for e in Event.objects(status="cancelled").only("id") if not progress(e.pk)["finished"]]
    for event_id in shows:
        enqueue(event_id)
    return shows
