"""Workers that die or lose Redis: the job of a dead worker is sent again once its heartbeat stops, and
`python worker.py` outlives a Redis outage and confirms the backlog when Redis is back."""
import os
import sys
import time
from pathlib import Path

from redis import Redis
from rq import Queue, SimpleWorker
from rq.registry import StartedJobRegistry

from localstack import databases, processes
from webapp.models import Order, OutboxMessage
from webapp.services import outbox

ROOT = Path(__file__).resolve().parents[2]


def _start_without_finishing(app, connection):
    """What a worker SIGKILLed mid-job leaves in Redis: the job started, by a worker that no longer beats."""
    worker = SimpleWorker([Queue(app.config["RQ_QUEUE"], connection=connection)], connection=connection)
    job, _queue = worker.dequeue_job_and_maintain_ttl(timeout=1)
    worker.prepare_execution(job)
    worker.prepare_job_execution(job)  # what perform_job does first, in this process: the job is "started"
    assert job.get_status() == "started"
    return worker, job


def test_a_job_whose_worker_died_is_sent_again_and_confirmed_once(app, ctx, sell, seller, redis_conn, run_jobs,
                                                                   monkeypatch):
    order = sell(seller)
    assert outbox.relay_once() == 1
    _worker, job = _start_without_finishing(app, redis_conn)
    monkeypatch.setitem(app.config, "OUTBOX_REDELIVER_SECONDS", 0)
    assert outbox.relay_once() == 1  # no heartbeat of its worker: abandoned, dispatched again
    assert StartedJobRegistry(job.origin, connection=redis_conn).get_job_ids() == []
    assert run_jobs() == 1
    order.reload()
    assert order.status == "confirmed" and OutboxMessage.objects.get().status == "done"


def test_a_job_whose_worker_still_beats_is_left_to_it(app, ctx, sell, seller, redis_conn, monkeypatch):
    sell(seller)
    outbox.relay_once()
    worker, _job = _start_without_finishing(app, redis_conn)
    redis_conn.set(outbox.ALIVE_KEY.format(worker.name), os.getpid(), ex=15)  # a slow job, its worker alive
    monkeypatch.setitem(app.config, "OUTBOX_REDELIVER_SECONDS", 0)
    assert outbox.relay_once() == 0
    assert OutboxMessage.objects.get().status == "dispatched"


def test_the_worker_outlives_a_redis_outage_and_confirms_what_was_sold_meanwhile(app, ctx, sell, seller, tmp_path,
                                                                                 monkeypatch):
    redis = databases.start_redis(tmp_path)
    monkeypatch.setitem(app.config, "REDIS_URL", redis.url)
    env = {**os.environ, "REDIS_URL": redis.url, "WORKER_NICE": "0", "PYTHONUNBUFFERED": "1"}
    log = open(tmp_path / "worker.log", "wb")
    worker = processes.spawn([sys.executable, "worker.py"], env=env, cwd=ROOT, stdout=log, stderr=log)
    back = None
    try:
        connection = Redis.from_url(redis.url)
        deadline = time.monotonic() + 30
        while not connection.keys(outbox.ALIVE_KEY.format("*")) and time.monotonic() < deadline:
            time.sleep(0.1)  # the worker is up and beating
        redis.stop()
        time.sleep(3)  # long enough for RQ's loop to meet the outage
        order = sell(seller)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        back = databases.start_redis(tmp_path, port=redis.port)
        outbox.breaker.close()
        assert outbox.relay_once() == 1
        deadline = time.monotonic() + 20
        while Order.objects.get(pk=order.pk).status != "confirmed" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert Order.objects.get(pk=order.pk).status == "confirmed", (tmp_path / "worker.log").read_text()
    finally:
        processes.stop_process(worker, 10)
        log.close()
        (back or redis).stop()
