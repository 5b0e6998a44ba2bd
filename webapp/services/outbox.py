"""The outbox relay: hands messages committed with a sale to RQ (retry + backoff, circuit breaker on Redis).

Messages are claimed atomically (pending → dispatching) so two relays never hand over the same one; a claim older
than LEASE belongs to a relay that died mid-way and is taken over. Confirmations are claimed in batches (up to
OUTBOX_BATCH, whatever is due: a lone sale is not kept waiting) and go to RQ as one job, which settles each
message on its own; RQ's bookkeeping per job was most of a confirmation's cost. A message dispatched a while ago
whose RQ job is gone (Redis data lost) or was started by a worker whose heartbeat stopped (killed, frozen) goes
out again, alone or with the others of its batch still unfinished. Delivery is at least once: the jobs are
idempotent.
"""
import logging
import time
import uuid
from datetime import timedelta

import pybreaker
from bson import ObjectId
from flask import current_app
from flask_babel import gettext as _
from pymongo import UpdateMany, UpdateOne
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
# kind → (job function, failure callback, config key of its timeout in seconds, batched), by import path so the
# relay never imports the worker's code. RQ's default 180 s would kill the refunds of a big cancelled show mid-way.
# A batched kind's job takes `messages=[{"message_id", **payload}, ...]`; the others one message's payload.
JOBS = {"order.confirm": ("webapp.jobs.orders.confirm_orders", "webapp.jobs.orders.confirm_orders_failed",
                          "CONFIRM_JOB_TIMEOUT", True),
        "event.cancel": ("webapp.jobs.cancellation.refund_cancelled_show",
                         "webapp.jobs.cancellation.refund_cancelled_show_failed", "CANCELLATION_JOB_TIMEOUT", False)}
# After a pass that handed over a few messages, the relay waits this share of its interval before the next one.
GATHER = 0.25
# Shared by every pass of this process: after a few Redis failures we stop hammering it for a while.
breaker = pybreaker.CircuitBreaker(fail_max=3, reset_timeout=15, name="redis")


def _collection():
    return OutboxMessage._get_collection()


def _due(kind, now):
    return {"kind": kind, "$or": [{"status": "pending", "available_at": {"$lte": now}},
                                  {"status": "dispatching", "claimed_at": {"$lt": now - LEASE}}]}


def _claim(kind, size):
    """Claim up to `size` due messages of this kind, oldest first: three round trips whatever the size. Each
    message's update re-checks it is still due, so a message another relay took meanwhile is not ours."""
    now, claim = utcnow(), uuid.uuid4().hex
    ids = [raw["_id"] for raw in _collection().find(_due(kind, now), {"_id": 1}).sort("created_at", 1).limit(size)]
    if not ids:
        return []
    _collection().update_many({"_id": {"$in": ids}, **_due(kind, now)},
                              {"$set": {"status": "dispatching", "claim": claim, "claimed_at": now},
                               "$inc": {"attempts": 1}})
    return list(_collection().find({"_id": {"$in": ids}, "claim": claim}).sort("created_at", 1))


def _still_dispatching(messages):
    """The filter of these claimed messages while still ours and still dispatching: a fast worker may already have
    written its verdict (done/failed), which neither "dispatched" nor "pending" may overwrite (the message would go
    out a second time)."""
    return {"_id": {"$in": [m["_id"] for m in messages]}, "claim": messages[0]["claim"], "status": "dispatching"}


def _enqueue(queue, messages):
    func, on_failure, timeout_key, batched = JOBS[messages[0]["kind"]]
    intervals = list(current_app.config["CONFIRM_RETRY_INTERVALS"])
    if batched:
        kwargs = {"messages": [{**m["payload"], "message_id": str(m["_id"])} for m in messages]}
        job_id = f"outbox-{messages[0]['claim']}"  # another claim of these messages is another job (idempotent)
        # The timeout is one order's; every further order of the batch may take an SMTP exchange's.
        timeout = current_app.config[timeout_key] + 2 * current_app.config["MAIL_TIMEOUT"] * (len(messages) - 1)
    else:
        (message,) = messages
        kwargs = {**message["payload"], "message_id": str(message["_id"])}
        job_id, timeout = f"outbox-{message['_id']}", current_app.config[timeout_key]
    return queue.enqueue(func, kwargs=kwargs, job_id=job_id, retry=Retry(max=len(intervals), interval=intervals),
                         on_failure=Callback(on_failure), failure_ttl=30 * 24 * 3600, job_timeout=int(timeout))


def _push(queue, messages):
    wait = current_app.config["OUTBOX_ENQUEUE_WAIT"]
    for attempt in Retrying(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=wait, max=2),
                            retry=retry_if_exception_type(RedisError), reraise=True):
        with attempt:
            return breaker.call(_enqueue, queue, messages)


def _give_back(messages, error, tried=True):
    """Redis refused: the messages wait (growing backoff) for a later pass. Refused by the open circuit breaker
    (`tried` False), Redis was not even asked: no attempt counts and the wait does not grow, so the backlog of an
    outage goes out at once when the breaker lets calls through again."""
    attempts = max(m["attempts"] for m in messages) if tried else 0
    backoff = current_app.config["OUTBOX_BACKOFF"] * min(2 ** attempts, 300)
    # Redis may have taken the job and lost only its answer: the worker's verdict stands (_still_dispatching).
    _collection().update_many(_still_dispatching(messages),
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
    """Put back in line the messages dispatched over OUTBOX_REDELIVER_SECONDS ago whose job no longer lives.

    Only messages still `dispatched` are looked at: those of a batch its job already settled (done, failed) stay
    settled, so a batch whose worker was killed goes out again with its unfinished messages only."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["OUTBOX_REDELIVER_SECONDS"])
    stale = list(_collection().find({"status": "dispatched", "dispatched_at": {"$lt": cutoff}},
                                    {"job_id": 1}).limit(500))
    statuses = {job_id: _job_status(connection, job_id or "") for job_id in {m.get("job_id") for m in stale}}
    alive = [m["_id"] for m in stale if statuses[m.get("job_id")] in ALIVE]
    lost = [m for m in stale if statuses[m.get("job_id")] not in ALIVE]
    if alive:  # still queued or running: look again after another period
        _collection().update_many({"_id": {"$in": alive}, "status": "dispatched"},
                                  {"$set": {"dispatched_at": utcnow()}})
    again = 0
    for status in {statuses[m.get("job_id")] for m in lost}:
        # The status filter keeps a verdict the job wrote meanwhile (done/failed) from being overwritten.
        ids = [m["_id"] for m in lost if statuses[m.get("job_id")] == status]
        again += _collection().update_many(
            {"_id": {"$in": ids}, "status": "dispatched"},
            {"$set": {"status": "pending", "available_at": utcnow(), "last_error": f"job {status or 'lost'}"}}
        ).modified_count
    return again


def _dispatch(queue, kind, size):
    """Claim and hand over one batch of `kind`; returns how many messages went, None when Redis refused."""
    messages = _claim(kind, size)
    if not messages:
        return 0
    try:
        job = _push(queue, messages)
    except (RedisError, pybreaker.CircuitBreakerError) as exc:
        _give_back(messages, exc, tried=not isinstance(exc, pybreaker.CircuitBreakerError))
        log.warning("outbox: Redis unavailable (%s); %d %s message(s) wait", exc, len(messages), kind)
        return None
    _collection().update_many(_still_dispatching(messages),
                              {"$set": {"status": "dispatched", "dispatched_at": utcnow(), "job_id": job.id}})
    return len(messages)


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
    for kind, (_func, _callback, _timeout, batched) in JOBS.items():
        while sent < limit:
            size = min(current_app.config["OUTBOX_BATCH"], limit - sent) if batched else 1
            went = _dispatch(queue, kind, size)
            if went is None:
                return sent  # the rest waits for the next pass
            if not went:
                break
            sent += went
    return sent


def housekeeping():
    """Periodic chores of the (single) relay process: shows whose end has passed become finished."""
    from .lifecycle import close_past_shows

    return close_past_shows()


def run_relay(interval=1.0, once=False, should_stop=lambda: False, limit=100):
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
            sent = relay_once(limit)
        except Exception:  # a Mongo hiccup must not end the relay; the next pass tries again
            log.exception("outbox relay pass failed")
            sent = 0
        total += sent
        if once or should_stop():
            return total
        if sent < limit:  # a full pass goes on at once: a backlog
            # Nothing due: wait a pass. A few due: gather for a moment, so a rush's confirmations go out in
            # batches (one RQ job each) rather than one by one as each sale commits; a lone sale waits ≤ ~1 s.
            time.sleep(interval if not sent else interval * GATHER)


def finish(message_id, failed=False, error=None):
    """The job's outcome on its message: done, or failed with the reason (visible to admins)."""
    if message_id:
        finish_many(failed={message_id: error} if failed else {}, done=[] if failed else [message_id])


def finish_many(done=(), failed=None):
    """A batch job's outcomes: the `done` messages in one write, each of `failed` ({id: reason}) with its own."""
    now, failed, done = utcnow(), {i: e for i, e in (failed or {}).items() if i}, [i for i in done if i]
    writes = [UpdateOne({"_id": ObjectId(i)}, {"$set": {"status": "failed", "finished_at": now,
                                                       **({"last_error": str(e)[:500]} if e else {})}})
              for i, e in failed.items()]
    if done:
        writes.append(UpdateMany({"_id": {"$in": [ObjectId(i) for i in done]}},
                                 {"$set": {"status": "done", "finished_at": now}}))
    if writes:
        _collection().bulk_write(writes, ordered=False)


def unfinished(message_ids):
    """Those of the messages not yet settled (done or failed), with their last error: {id: error or None}. A batch
    run again works on these only."""
    ids = [ObjectId(i) for i in message_ids if i]
    return {str(raw["_id"]): raw.get("last_error") for raw in _collection().find(
        {"_id": {"$in": ids}, "status": {"$nin": ["done", "failed"]}}, {"last_error": 1})}


def note_error(message_id, error):
    """The reason this message's try failed, kept on it while RQ tries again (shown if it fails for good)."""
    if message_id:
        _collection().update_one({"_id": ObjectId(message_id), "status": {"$nin": ["done", "failed"]}},
                                 {"$set": {"last_error": str(error)[:500]}})


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
