"""Jobs of a sale, handed over by the outbox relay (at least once, so each is idempotent)."""
from bson import ObjectId

from ..services import confirmation, orders, outbox
from . import job


@job
def confirm_order(order_id, message_id=None):
    """Confirm the order and e-mail its tickets; a payment declared failed undoes the sale instead."""
    try:
        outcome = confirmation.confirm_order(ObjectId(order_id))
    except confirmation.PaymentNotConfirmed:
        # Retrying cannot help: run the saga's compensation (valid tickets void, seats back), exactly once.
        outcome, error = orders.compensate_failed_payment(ObjectId(order_id))
        outbox.finish(message_id, failed=True, error=error)
        return outcome
    if outcome == confirmation.UNSETTLED:  # shown to staff with the order's e-mail error; never resent by itself
        outbox.finish(message_id, failed=True, error=confirmation.UNSETTLED_ERROR)
        return outcome
    outbox.finish(message_id)
    return outcome


@job
def confirm_order_failed(rq_job, connection, exc_type, exc_value, traceback):
    """RQ failure callback: once no retry is left, the failure becomes visible to admins."""
    if rq_job.should_retry:
        return  # RQ runs it again after its backoff interval
    kwargs = rq_job.kwargs or {}
    orders.mark_confirmation_failed(ObjectId(kwargs["order_id"]), kwargs.get("message_id"),
                                    f"{exc_type.__name__}: {exc_value}")
