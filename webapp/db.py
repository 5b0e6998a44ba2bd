"""MongoDB connection and the transaction helper for every write of money or tickets."""
import itertools
import os
import random
import time

import mongoengine
from pymongo import ReadPreference
from pymongo.errors import PyMongoError
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

_state = {"pid": None, "settings": None}


def connect(app):
    """Connect MongoEngine for this process (again after a fork: MongoClient is not fork-safe)."""
    settings = (app.config["MONGODB_URI"], app.config["MONGODB_DB"], app.config["MONGODB_TIMEOUT_MS"])
    if _state["pid"] == os.getpid() and _state["settings"] == settings:
        return
    mongoengine.disconnect_all()
    uri, name, timeout = settings
    mongoengine.connect(
        db=name,
        host=uri,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=timeout,
        connectTimeoutMS=timeout,
        retryWrites=True,
    )
    _state.update(pid=os.getpid(), settings=settings)


def client():
    return mongoengine.get_connection()


def database():
    return mongoengine.get_db()


TRANSACTION_TIMEOUT = 30.0  # seconds of retrying before the error reaches the user


def _backoff(attempt):
    """Sleep a random while, growing with each attempt: concurrent sales of one show stop colliding in lockstep."""
    time.sleep(random.uniform(0, min(0.2, 0.005 * 2 ** attempt)))


def _commit(session, deadline):
    while True:
        try:
            return session.commit_transaction()
        except PyMongoError as exc:
            if exc.has_error_label("UnknownTransactionCommitResult") and time.monotonic() < deadline:
                continue  # commit is idempotent: ask again until the server knows
            raise


def run_in_transaction(callback, *args, **kwargs):
    """Run callback(session, ...) in one snapshot/majority transaction, retried on transient errors.

    The callback may run more than once, so it must have no side effects outside the database. Like pymongo's
    with_transaction, but retries wait a jittered, growing while: several sellers selling the same show
    conflict on its counter, and immediate retries kept colliding (seconds of tail latency under load).
    """
    with client().start_session() as session:
        return transaction(session, callback, *args, **kwargs)


def transaction(session, callback, *args, **kwargs):
    """run_in_transaction in `session`: a causally consistent session, so the transaction sees the writes the
    session made before it even when they were acknowledged by the primary alone (w:1)."""
    deadline = time.monotonic() + TRANSACTION_TIMEOUT
    for attempt in itertools.count():
        session.start_transaction(read_concern=ReadConcern("snapshot"), write_concern=WriteConcern("majority"),
                                  read_preference=ReadPreference.PRIMARY)
        try:
            result = callback(session, *args, **kwargs)
            _commit(session, deadline)
            return result
        except PyMongoError as exc:
            if session.in_transaction:
                session.abort_transaction()
            if not exc.has_error_label("TransientTransactionError") or time.monotonic() >= deadline:
                raise
            _backoff(attempt)
        except BaseException:
            if session.in_transaction:
                session.abort_transaction()
            raise


def insert(session, document):
    """Validate a MongoEngine document and insert it inside `session`'s transaction (the pymongo write path);
    returns the raw document written."""
    document.validate()
    son = document.to_mongo()
    type(document)._get_collection().insert_one(son, session=session)
    return son
