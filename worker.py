"""RQ worker entry point: `python worker.py [queue ...]` (the app's queue by default)."""
import sys

from redis import Redis
from rq import Queue, Worker

from webapp import create_app, db


class AppWorker(Worker):
    """Runs every job in the app context; the forked work horse opens its own MongoDB connection."""

    app = None

    def perform_job(self, job, queue):
        db.connect(self.app)  # MongoClient is not fork-safe: a new one in this process
        with self.app.app_context():
            return super().perform_job(job, queue)


def main(argv):
    app = create_app()
    AppWorker.app = app
    connection = Redis.from_url(app.config["REDIS_URL"])
    queues = [Queue(name, connection=connection) for name in (argv or [app.config["RQ_QUEUE"]])]
    AppWorker(queues, connection=connection).work(with_scheduler=True)


if __name__ == "__main__":
    main(sys.argv[1:])
