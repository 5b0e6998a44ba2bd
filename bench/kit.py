"""What the benchmarks share: their own mongod, and a count of the MongoDB commands (round trips) they send."""
import collections
import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from pymongo import monitoring

from localstack import databases as stack


class CommandCounter(monitoring.CommandListener):
    """Counts the commands sent while `on` is set, by name (insert/update/find… — each a round trip)."""

    def __init__(self):
        self.on, self.counts, self.lock = False, collections.Counter(), threading.Lock()

    def started(self, event):
        if self.on:
            with self.lock:
                self.counts[event.command_name] += 1

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


COMMANDS = CommandCounter()
monitoring.register(COMMANDS)  # before any MongoClient exists: it applies to the clients made after


@contextmanager
def own_mongo(**env):
    """A one-node replica set in a temporary folder for this run, the app's settings pointed at it (and `env`)."""
    with tempfile.TemporaryDirectory() as tmp:
        mongo = stack.start_mongo(Path(tmp))
        os.environ.update(MONGODB_URI=mongo.url, MONGODB_DB="bench", **env)
        try:
            yield mongo
        finally:
            mongo.stop()
