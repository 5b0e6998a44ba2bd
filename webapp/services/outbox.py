"""The outbox relay: hands messages committed with a sale to RQ (retry + backoff, circuit breaker on Redis).

Each message is claimed atomically (pending → dispatching) so two relays never hand over the same one; a
claim older than LEASE belongs to a relay that died mid-way and is taken over. A message dispatched a while ago
whose RQ job is gone (Redis data lost) or was started by a worker whose heartbeat stopped (killed, frozen) goes
out again. Delivery is at least once: the jobs are idempotent.
"""
import logging
import time
import uuid
from datetime import timedelta

import pybreaker
from bson import ObjectId
from flask import current_app
from flask_babel import gettext as _
from pymongo import ReturnDocument
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import StartedJobRegistry
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from ..models import Order, OutboxMessage
from ..models.base import utcnow
from . import NotFound, ServiceError, inventory
from .audit import record

log = logging.getLogger(__name__)
# A relay's claim lasts a pass (a hand-off: seconds). A claim whose answer was lost in a failover (the update made,
# its acknowledgement not received) is taken over after this, not after minutes: a message twice in RQ is harmless
# (same job id, idempotent jobs).
LEASE = timedelta(seconds=30)
ALIVE = {"queued", "started", "scheduled", "deferred"}
# Set by each worker process (worker.py) every WORKER_HEARTBEAT_SECONDS, expiring after three: a started job whose
# worker's key is gone was abandoned. RQ's own worker TTL is minutes, and it cleans such jobs every 10 minutes.
ALIVE_KEY = "bilheteria:worker-alive:{}"
# kind → (job function, failure callback, config key of its timeout in seconds), by import path so the relay
# never imports the worker's code. RQ's default 180 s would kill the refunds of a big cancelled show mid-way.
JOBS = {"order.confirm": ("webapp.jobs.orders.confirm_order", "webapp.jobs.orders.confirm_order_failed",
                          "CONFIRM_JOB_TIMEOUT"),
        "event.cancel": ("webapp.jobs.cancellation.refund_cancelled_show",
                         "webapp.jobs.cancellation.refund_cancelled_show_failed", "CANCELLATION_JOB_TIMEOUT")}
# Shared by every pass of this process: after a few Redis failures we stop hammering it for a while.
breaker = pybreaker.CircuitBreaker(fail_max=3, reset_timeout=15, name="redis")


def _collection():
    return OutboxMessage._get_collection()


def _claim():
    now = utcnow()
    return _collection().find_one_and_update(
        {"$or": [{"status": "pending", "available_at": {"$lte": now}},
                 {"status": "dispatching", "claimed_at": {"$lt": now - LEASE}}]},
        {"$set": {"status": "dispatching", "claim": uuid.uuid4().hex, "claimed_at": now}, "$inc": {"attempts": 1}},
        sort=[("created_at", 1)], return_document=ReturnDocument.AFTER)


def _enqueue(queue, message):
    func, on_failure, timeout_key = JOBS[message["kind"]]
    intervals = list(current_app.config["CONFIRM_RETRY_INTERVALS"])
    return queue.enqueue(func, kwargs={**message["payload"], "message_id": str(message["_id"])},
                         job_id=f"outbox-{message['_id']}", retry=Retry(max=len(intervals), interval=intervals),
                         on_failure=Callback(on_failure), failure_ttl=30 * 24 * 3600,
                         job_timeout=current_app.config[timeout_key])


def _push(queue, message):
    wait = current_app.config["OUTBOX_ENQUEUE_WAIT"]
    for attempt in Retrying(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=wait, max=2),
                            retry=retry_if_exception_type(RedisError), reraise=True):
        with attempt:
            return breaker.call(_enqueue, queue, message)


def _give_back(message, error, tried=True):
    """Redis refused: the message waits (growing backoff) for a later pass. Refused by the open circuit breaker
    (`tried` False), Redis was not even asked: no attempt counts and the wait does not grow, so the backlog of an
    outage goes out at once when the breaker lets calls through again."""
    attempts = message["attempts"] if tried else 0
    backoff = current_app.config["OUTBOX_BACKOFF"] * min(2 ** attempts, 300)
    _collection().update_one({"_id": message["_id"], "claim": message["claim"]},
                             {"$set": {"status": "pending", "last_error": str(error)[:500],
                                       "available_at": utcnow() + timedelta(seconds=backoff)},
                              "$inc": {"attempts": 0 if tried else -1}})


def _job_status(connection, job_id):
    """The RQ job's status; "abandoned" when it was started by a worker whose heartbeat has stopped."""
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return None
    status = job.get_status(refresh=False)
    if status == "started" and job.worker_name and not connection.exists(ALIVE_KEY.format(job.worker_name)):
        # Out of RQ's started registry too: its later cleanup would run the failure callback on the job that was
        # sent again, marking a confirmed order's e-mail failed.
        StartedJobRegistry(job.origin, connection=connection).remove_executions(job)
        return "abandoned"
    return status


def redeliver_lost(connection):
    """Put back in line the messages dispatched over OUTBOX_REDELIVER_SECONDS ago whose job no longer lives."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["OUTBOX_REDELIVER_SECONDS"])
    again = 0
    for message in _collection().find({"status": "dispatched", "dispatched_at": {"$lt": cutoff}}).limit(100):
        status = _job_status(connection, message.get("job_id") or "")
        if status in ALIVE:
            changes = {"dispatched_at": utcnow()}  # still queued or running: look again after another period
        else:
            changes = {"status": "pending", "available_at": utcnow(), "last_error": f"job {status or 'lost'}"}
        # The status filter keeps a verdict the job wrote meanwhile (done/failed) from being overwritten.
        result = _collection().update_one({"_id": message["_id"], "status": "dispatched"}, {"$set": changes})
        again += result.modified_count if status not in ALIVE else 0
    return again


def relay_once(limit=100):
    """Hand up to `limit` due messages to RQ; returns how many were dispatched (0 while Redis is down)."""
    breaker.reset_timeout = current_app.config["OUTBOX_BREAKER_RESET"]
    connection = Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2)
    queue = Queue(current_app.config["RQ_QUEUE"], connection=connection)
    try:
        breaker.call(redeliver_lost, connection)
    except (RedisError, pybreaker.CircuitBreakerError) as exc:
        log.warning("outbox: Redis unavailable (%s); lost jobs are checked later", exc)
    sent = 0
    while sent < limit:
        message = _claim()
        if message is None:
            break
        try:
            job = _push(queue, message)
        except (RedisError, pybreaker.CircuitBreakerError) as exc:
            _give_back(message, exc, tried=not isinstance(exc, pybreaker.CircuitBreakerError))
            log.warning("outbox: Redis unavailable (%s); %s waits", exc, message["_id"])
            break  # the rest waits for the next pass
        # Still ours and still dispatching: a fast worker may already have written its verdict (done/failed),
        # which "dispatched" must not overwrite (the message would later be sent again as lost).
        _collection().update_one({"_id": message["_id"], "claim": message["claim"], "status": "dispatching"},
                                 {"$set": {"status": "dispatched", "dispatched_at": utcnow(), "job_id": job.id}})
        sent += 1
    return sent


def housekeeping():
    """Periodic chores of the (single) relay process: shows whose end has passed become finished."""
    from .lifecycle import close_past_shows

    return close_past_shows()


def run_relay(interval=1.0, once=False, should_stop=lambda: False):
    """The relay loop (`flask outbox-relay`): pass after pass, sleeping when there is nothing to do."""
    total, chores_due, sweep_due = 0, 0.0, 0.0
    while True:
        try:
            if time.monotonic() >= chores_due:
                housekeeping()
                chores_due = time.monotonic() + current_app.config["HOUSEKEEPING_SECONDS"]
            if time.monotonic() >= sweep_due:  # holds of a process that died give their places back
                inventory.sweep()
                sweep_due = time.monotonic() + current_app.config["HOLD_SWEEP_SECONDS"]
            sent = relay_once()
        except Exception:  # a Mongo hiccup must not end the relay; the next pass tries again
            log.exception("outbox relay pass failed")
            sent = 0
        total += sent
        if once or should_stop():
            return total
        if not sent:
            time.sleep(interval)


def finish(message_id, failed=False, error=None):
    """The job's outcome on its message: done, or failed with the reason (visible to admins)."""
    if message_id:
        changes = {"status": "failed" if failed else "done", "finished_at": utcnow()}
        if error:
            changes["last_error"] = str(error)[:500]
        OutboxMessage.objects(pk=message_id).update_one(**{f"set__{k}": v for k, v in changes.items()})


def failed_messages(limit=100):
    return list(OutboxMessage.objects(status="failed").order_by("-created_at").limit(limit))


def retry_message(actor, message_id):
    """Send a failed message again (an admin fixed the mail server, say)."""
    message = OutboxMessage.objects(pk=message_id).first() if ObjectId.is_valid(str(message_id)) else None
    if message is None:
        raise NotFound(_("Message not found."))
    if message.status != "failed":
        raise ServiceError(_("Only failed work can be retried."))
    message.update(set__status="pending", set__available_at=utcnow(), set__attempts=0, unset__last_error=True)
    if message.order_number:
        Order.objects(number=message.order_number, email_status="failed").update_one(set__email_status="pending")
    record("outbox.retry", actor, target=message, order_number=message.order_number)
    return message
