"""The refund job of a cancelled show, handed over by the outbox relay (at least once: it is idempotent)."""
from bson import ObjectId

from ..services import cancellation, outbox
from . import job


class MailNotSent(Exception):
    """Some cancellation e-mails could not be sent; the retry sends only those."""


@job
def refund_cancelled_show(event_id, message_id=None):
    """Refund every order of the cancelled show (each once) and e-mail the customers who left an address."""
    result = cancellation.refund_cancelled_show(ObjectId(event_id))
    if result["mail_errors"]:
        raise MailNotSent("; ".join(result["mail_errors"])[:500])
    outbox.finish(message_id)
    return result


@job
def refund_cancelled_show_failed(rq_job, connection, exc_type, exc_value, traceback):
    """RQ failure callback: once no retry is left, the outbox message shows the failure to admins."""
    if rq_job.should_retry:
        return
    outbox.finish((rq_job.kwargs or {}).get("message_id"), failed=True, error=f"{exc_type.__name__}: {exc_value}")
