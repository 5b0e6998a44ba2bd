"""RQ worker entry point: `python worker.py [queue ...]` (the app's queue by default)."""
import logging
import os
import signal
import sys
import threading

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker

from webapp import create_app, db
from webapp.services.outbox import ALIVE_KEY

log = logging.getLogger("worker")


class AppWorker(SimpleWorker):
    """Runs every job in this process, in the app context, on one MongoClient.

    RQ's default Worker forks a work horse per job, which must open its own MongoClient (not fork-safe): that
    cost ~50 ms of CPU per job against ~2 ms for confirming a box-office order (bench/confirm.py), so a rush of
    150 sales/s would have kept three cores busy confirming. Job timeouts still hold (SIGALRM in this process).
    """

    app = None
    # RQ doubles its wait after each failed reconnection up to a minute: after a 30 s Redis outage the worker
    # slept on for up to 32 s more while the backlog grew. Ask every second instead (one PING).
    max_connection_wait_time = 1.0

    def perform_job(self, job, queue):
        db.connect(self.app)  # once per process: later calls find it connected
        with self.app.app_context():
            return super().perform_job(job, queue)


def beat(connection, name, period, done):
    """Keep `ALIVE_KEY` of this worker alive while the process lives, even inside a long job.

    The relay re-sends a started job whose worker's key has expired (killed, frozen): within 3 periods, not at
    RQ's own worker TTL (minutes) or its 10-minute maintenance."""
    key = ALIVE_KEY.format(name)
    while True:
        try:
            connection.set(key, os.getpid(), ex=int(3 * period))
        except RedisError:
            pass  # Redis is down: nothing can be re-sent meanwhile either; beat again when it is back
        if done.wait(period):
            return  # this worker's loop ended; its key expires by itself


def wait_for_redis(connection, stopping):
    """Block until Redis answers (a second between tries) or a stop was asked."""
    while not stopping.is_set():
        try:
            return connection.ping()
        except RedisError:
            stopping.wait(1)


def main(argv):
    app = create_app()
    os.nice(app.config["WORKER_NICE"])  # the web's sales first during a rush; confirmations catch up after
    AppWorker.app = app
    connection = Redis.from_url(app.config["REDIS_URL"], health_check_interval=10)
    queues = [Queue(name, connection=connection) for name in (argv or [app.config["RQ_QUEUE"]])]
    stopping = threading.Event()
    # RQ's work loop ends on some Redis errors (a reset while finishing a job, a timeout): the process used to
    # exit for good and confirmations stopped until someone restarted it. Now it waits for Redis and starts a
    # fresh worker, unless the stop came from a signal (make run's Ctrl-C, a deploy).
    while not stopping.is_set():
        wait_for_redis(connection, stopping)
        worker, done = AppWorker(queues, connection=connection), threading.Event()
        threading.Thread(target=beat, daemon=True,
                         args=(connection, worker.name, app.config["WORKER_HEARTBEAT_SECONDS"], done)).start()
        try:
            worker.work(with_scheduler=True)
        except RedisError as exc:
            log.warning("worker: Redis lost (%s); starting again when it answers", exc)
        finally:
            done.set()
            if getattr(worker, "pubsub_thread", None):  # its command channel would go on reconnecting for ever
                worker.pubsub_thread.stop()
        if worker._stop_requested or worker._shutdown_requested_date:
            break
        for signum in (signal.SIGTERM, signal.SIGINT):  # RQ's handlers are gone with its loop: a stop now ends us
            signal.signal(signum, lambda *_: stopping.set())
        log.warning("worker: the work loop ended without a stop; starting again when Redis answers")
        stopping.wait(0.5)


if __name__ == "__main__":
    main(sys.argv[1:])
