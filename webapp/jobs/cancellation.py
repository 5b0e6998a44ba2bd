"""The refund job of a cancelled show, handed over by the outbox relay (at least once: it is idempotent)."""
from bson import ObjectId

from ..services import cancellation, outbox
from . import job


@job
def refund_cancelled_show(event_id, message_id=None, mail_only=False):
    """Refund every order of the cancelled show (each once) and e-mail the customers who left an address; with
    mail_only, send only the e-mails not sent yet (a person retried the failed ones). A failed e-mail is kept on
    its order for the progress box, so the job still ends."""
    result = cancellation.refund_cancelled_show(ObjectId(event_id), mail_only=mail_only)
    outbox.finish(message_id)
    return result


@job
def refund_cancelled_show_failed(rq_job, connection, exc_type, exc_value, traceback):
    """RQ failure callback: once no retry is left, the outbox message shows the failure to admins."""
    if rq_job.should_retry:
        return
    outbox.finish((rq_job.kwargs or {}).get("message_id"), failed=True, error=f"{exc_type.__name__}: {exc_value}")
