"""The six faults, one at a time, each while the careful clients sell. Each returns its own figures and whether
they pass (the shared ones are checked by checks.py)."""
from __future__ import annotations

import signal
import threading
import time
import uuid
from bson import ObjectId

from localstack.databases import start_redis

from .stack import request

RECOVERY_LIMIT = 15.0  # seconds until sales resume after losing the primary (the bound)
ANSWER_LIMIT = 15.0  # the slowest answer while the primary is frozen: bounded, not hanging


def _wait(predicate, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def _rnd(value):
    return None if value is None else round(value, 1)


def primary_killed(stack, clients, db):
    """1. SIGKILL of the primary mid-rush; the node restarted and rejoining (and, priority 2, primary again)."""
    rs = stack.rs
    old = rs.primary()
    at = time.monotonic()
    rs.signal(old, signal.SIGKILL)
    _wait(lambda: clients.first_sale_after(at) is not None, 40)
    time.sleep(2)
    rs.restart(old)
    back = time.monotonic()
    rs.wait(healthy=True)
    rejoined = time.monotonic() - back
    _wait(lambda: rs.primary() == old, 40)  # its priority takes the primary back: a second, planned step-down
    time.sleep(3)
    recovery = clients.first_sale_after(at)
    return {"recovery_s": _rnd(recovery), "rejoined_s": _rnd(rejoined)}, \
        recovery is not None and recovery < RECOVERY_LIMIT


def primary_frozen(stack, clients, db):
    """2. SIGSTOP of the primary for 10 s, then SIGCONT."""
    rs = stack.rs
    frozen = rs.primary()
    at = time.monotonic()
    rs.signal(frozen, signal.SIGSTOP)
    time.sleep(10)
    rs.signal(frozen, signal.SIGCONT)
    rs.wait(healthy=True)
    time.sleep(3)
    recovery, slowest = clients.first_sale_after(at), clients.slowest_since(at)
    return {"recovery_s": _rnd(recovery), "slowest_answer_s": _rnd(slowest)}, \
        recovery is not None and recovery < RECOVERY_LIMIT and slowest < ANSWER_LIMIT


def worker_killed(stack, clients, db):
    """3. SIGKILL of the RQ worker mid-confirmation: its whole process group, then the worker process alone
    (it runs jobs in process, so that is the one running the job; RQ's scheduler child is left to die)."""
    stack.smtp.delay = 0.3  # the kill lands inside an SMTP exchange: the hardest moment for "exactly once"
    kills = 0
    for group in (True, False):
        if stack.smtp.in_data.wait(30):
            stack.kill("worker", group=group)
            kills += 1
            stack.spawn("worker")  # what the supervisor (compose `restart`, k8s) does
        time.sleep(8)
    stack.smtp.delay = 0.0
    return {"kills_mid_smtp": kills}, kills == 2


def redis_stopped(stack, clients, db):
    """4. Redis stopped for 30 s during sales; sign-in tried meanwhile; the backlog drains when it is back."""
    port = stack.redis.port
    stack.redis.stop()
    time.sleep(2)
    login = request(stack.port, "POST", "/api/v1/auth/login", {"username": stack.names[0], "password": "x" * 12},
                    timeout=30)[0]  # a wrong password: must be refused clearly (401), not a 500
    time.sleep(28)
    stack.redis = start_redis(stack.tmp, port=port, persist=True)
    back = time.monotonic()
    stack.back_at = back
    time.sleep(5)
    return {"login_during_outage": login or "none"}, login not in (0, 500)


def web_worker_killed(stack, clients, db):
    """5. SIGKILL of a gunicorn worker with sales in flight, three times 6 s apart; the master starts another."""
    killed = 0
    for _ in range(3):
        pids = stack.web_workers_pids()
        if pids:
            import os

            os.kill(pids[0], signal.SIGKILL)
            killed += 1
        time.sleep(6)
    time.sleep(6)

    def after_stop():  # every sale cut by a kill, tried again until answered: one order each (checks.py)
        cut = [a for a in clients.answers if a.status == 0]
        keys = {a.key for a in cut}
        sold = [s for s in clients.sales if s.key in keys and s.acked_at is not None]
        slowest = max((s.acked_at - s.started for s in sold), default=0.0)
        return {"cut_requests": len(cut), "cut_sales": len(keys), "cut_sales_sold_once": len(sold),
                "slowest_cut_sale_s": _rnd(slowest)}, len(sold) == len(keys)

    return {"killed": killed}, killed == 3, after_stop


def holds_abandoned(stack, clients, db, count=300):
    """6. Holds whose process died before the sale (taken, never sold nor released), and the sweeper (the relay)
    SIGKILLed mid-sweep of them: every place comes back exactly once."""
    show, tier, token = clients.show_id, clients.tier_id, stack.tokens[0]
    body = {"event_id": show, "items": [{"ticket_type_id": tier, "quantity": 1}]}
    taken = []

    def take(n):
        for _ in range(n):
            status, data, _ = request(stack.port, "POST", "/api/v1/holds", body,
                                      {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())})
            if status == 201:
                taken.append(data["id"])

    threads = [threading.Thread(target=take, args=(count // 4,)) for _ in range(4)]
    for t in threads:
        t.start()
    pids = stack.web_workers_pids()
    time.sleep(1)
    if pids:  # and a web worker killed while sales (each a hold, then the sale) are in flight
        import os

        os.kill(pids[0], signal.SIGKILL)
    for t in threads:
        t.join()
    live = {"event_id": ObjectId(show), "status": {"$in": ["taking", "held", "releasing"]},
            "_id": {"$in": [ObjectId(h) for h in taken]}}
    # They expire HOLD_SECONDS after being taken; the relay sweeps every HOLD_SWEEP_SECONDS.
    started = _wait(lambda: 0 < db.holds.count_documents(live) < len(taken), 60, step=0.005)
    left = db.holds.count_documents(live)
    if started:
        stack.kill("relay")
        stack.spawn("relay")
    return {"abandoned_holds": len(taken), "left_when_sweeper_killed": left}, bool(started)


FAULTS = {1: ("primary SIGKILL", primary_killed), 2: ("primary SIGSTOP 10 s", primary_frozen),
          3: ("RQ worker SIGKILL", worker_killed), 4: ("Redis down 30 s", redis_stopped),
          5: ("gunicorn worker SIGKILL", web_worker_killed), 6: ("holds: process and sweeper killed", holds_abandoned)}
