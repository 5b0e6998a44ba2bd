"""Jobs of a sale, handed over by the outbox relay (at least once, so each is idempotent)."""
from bson import ObjectId
from rq.timeouts import JobTimeoutException

from ..services import confirmation, orders, outbox
from . import job


class OrdersNotConfirmed(Exception):
    """Some orders of a batch failed (each message keeps its own reason); RQ tries those again, only those."""


def _settle(order_id, message_id, outcome, done, failed):
    """Sort one order's outcome: done, failed for good (with the reason shown to admins), or compensated."""
    if isinstance(outcome, confirmation.PaymentNotConfirmed):
        # Retrying cannot help: run the saga's compensation (valid tickets void, seats back), exactly once.
        _outcome, failed[message_id] = orders.compensate_failed_payment(order_id)
    elif outcome == confirmation.UNSETTLED:  # shown to staff with the order's e-mail error; never resent by itself
        failed[message_id] = confirmation.UNSETTLED_ERROR
    else:
        done.append(message_id)


def _alone(errors, message_id, step, *args):
    """Run one order's step; a failure is noted on its message only and the batch goes on (RQ retries it)."""
    try:
        return step(*args)
    except JobTimeoutException:
        raise  # the whole job's time is up: RQ retries what is left
    except Exception as exc:
        errors[message_id] = f"{type(exc).__name__}: {exc}"
        outbox.note_error(message_id, errors[message_id])


@job
def confirm_orders(messages):
    """Confirm a batch of orders and e-mail their tickets, each on its own: one that fails is retried alone."""
    left = outbox.unfinished(m["message_id"] for m in messages)  # a retry (or a stray twin) skips settled ones
    by_order = {ObjectId(m["order_id"]): m["message_id"] for m in messages
                if m["message_id"] in left or not m["message_id"]}
    if not by_order:
        return {}
    outcomes, to_mail = confirmation.confirm_many(list(by_order))
    done, failed, errors = [], {}, {}
    for order_id, outcome in outcomes.items():
        _alone(errors, by_order[order_id], _settle, order_id, by_order[order_id], outcome, done, failed)
    outbox.finish_many(done, failed)  # the orders without an e-mail, before any SMTP exchange can stall us
    for order in to_mail:
        done, failed = [], {}
        outcomes[order.pk] = _alone(errors, by_order[order.pk], confirmation.email_confirmation, order)
        if outcomes[order.pk] is not None:
            _settle(order.pk, by_order[order.pk], outcomes[order.pk], done, failed)
            outbox.finish_many(done, failed)  # at once: a worker killed later must not send this one again
    if errors:
        raise OrdersNotConfirmed(f"{len(errors)} of {len(by_order)} orders: " + "; ".join(errors.values())[:400])
    return {str(k): v if isinstance(v, str) else type(v).__name__ for k, v in outcomes.items()}


@job
def confirm_orders_failed(rq_job, connection, exc_type, exc_value, traceback):
    """RQ failure callback: once no retry is left, the orders still unconfirmed become visible to admins."""
    if rq_job.should_retry:
        return  # RQ runs it again after its backoff interval, on the orders still unfinished
    messages = (rq_job.kwargs or {}).get("messages", [])
    left = outbox.unfinished(m["message_id"] for m in messages)  # {message id: the reason its last try failed}
    own = issubclass(exc_type, OrdersNotConfirmed)  # each order's own reason, noted by the job; else the job's
    for m in messages:
        if m["message_id"] in left or not m["message_id"]:
            reason = left.get(m["message_id"]) if own else None
            orders.mark_confirmation_failed(ObjectId(m["order_id"]), m["message_id"],
                                            reason or f"{exc_type.__name__}: {exc_value}")


@job
def confirm_order(order_id, message_id=None):
    """One order's confirmation, as jobs enqueued before batches were (still in Redis after an upgrade)."""
    return confirm_orders([{"order_id": order_id, "message_id": message_id}])


@job
def confirm_order_failed(rq_job, connection, exc_type, exc_value, traceback):
    """Failure callback of those one-order jobs."""
    if not rq_job.should_retry:
        kwargs = rq_job.kwargs or {}
        orders.mark_confirmation_failed(ObjectId(kwargs["order_id"]), kwargs.get("message_id"),
                                        f"{exc_type.__name__}: {exc_value}")
