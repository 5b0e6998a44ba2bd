"""RQ worker entry point: `python worker.py [queue ...]` (the app's queue by default)."""
import os
import sys

from redis import Redis
from rq import Queue, SimpleWorker

from webapp import create_app, db


class AppWorker(SimpleWorker):
    """Runs every job in this process, in the app context, on one MongoClient.

    RQ's default Worker forks a work horse per job, which must open its own MongoClient (not fork-safe): that
    cost ~50 ms of CPU per job against ~2 ms for confirming a box-office order (bench/confirm.py), so a rush of
    150 sales/s would have kept three cores busy confirming. Job timeouts still hold (SIGALRM in this process).
    """

    app = None

    def perform_job(self, job, queue):
        db.connect(self.app)  # once per process: later calls find it connected
        with self.app.app_context():
            return super().perform_job(job, queue)


def main(argv):
    app = create_app()
    os.nice(app.config["WORKER_NICE"])  # the web's sales first during a rush; confirmations catch up after
    AppWorker.app = app
    connection = Redis.from_url(app.config["REDIS_URL"])
    queues = [Queue(name, connection=connection) for name in (argv or [app.config["RQ_QUEUE"]])]
    AppWorker(queues, connection=connection).work(with_scheduler=True)


if __name__ == "__main__":
    main(sys.argv[1:])
