"""MongoDB connection and the transaction helper for every write of money or tickets."""
import itertools
import os
import random
import time

import mongoengine
import pymongo
from flask import current_app, has_app_context
from pymongo import ReadPreference
from pymongo.errors import PyMongoError
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from .models.base import raw_document

_state = {"pid": None, "settings": None, "transaction_seconds": None}


def connect(app):
    """Connect MongoEngine for this process (again after a fork: MongoClient is not fork-safe)."""
    settings = (app.config["MONGODB_URI"], app.config["MONGODB_DB"], app.config["MONGODB_TIMEOUT_MS"],
                app.config["MONGODB_OPERATION_TIMEOUT_MS"])
    if _state["pid"] == os.getpid() and _state["settings"] == settings:
        return
    mongoengine.disconnect_all()
    uri, name, timeout, operation_timeout = settings
    mongoengine.connect(
        db=name,
        host=uri,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=timeout,
        connectTimeoutMS=timeout,
        retryWrites=True,
        # Client-side operation timeout: bounds an operation already sent too (a frozen primary, a lock held by
        # an orphaned transaction), where the two above only bound finding a server and connecting to it.
        timeoutMS=operation_timeout,
    )
    _state.update(pid=os.getpid(), settings=settings, transaction_seconds=app.config["MONGODB_TRANSACTION_SECONDS"])


def surely_over_seconds():
    """After this long a web request's try is surely over (answered, failed or killed): twice the longest its
    database work may last (MONGODB_OPERATION_TIMEOUT_MS)."""
    return 2 * current_app.config["MONGODB_OPERATION_TIMEOUT_MS"] / 1000


def bounded_requests(app):
    """Every web request's database work together within MONGODB_OPERATION_TIMEOUT_MS (pymongo's client-side
    timeout, whose deadline nested blocks such as a transaction's only shorten): a frozen primary or an election
    gets a 503 in bounded time, never a request held for as long as it lasts."""
    wsgi_app, seconds = app.wsgi_app, app.config["MONGODB_OPERATION_TIMEOUT_MS"] / 1000

    def bounded(wsgi_env, start_response):
        with pymongo.timeout(seconds):
            return wsgi_app(wsgi_env, start_response)

    app.wsgi_app = bounded


def client():
    return mongoengine.get_connection()


def database():
    return mongoengine.get_db()


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
    # A bounded wait: a transaction orphaned by a killed web worker holds its documents until mongod drops it
    # (transactionLifetimeLimitSeconds); retrying into it for longer only blocks this request's thread. The
    # caller gets a TransientTransactionError or a timeout instead: a 503, "nothing was saved, try again".
    limit = current_app.config["MONGODB_TRANSACTION_SECONDS"] if has_app_context() else _state["transaction_seconds"]
    deadline = time.monotonic() + limit
    with pymongo.timeout(limit):
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


def insert_raw(session, model, values):
    """insert() without a document instance, for what is written and not read back: `values` checked and converted by
    models.base.raw_document (the model's own field declarations); returns the raw document written."""
    son = raw_document(model, values)
    model._get_collection().insert_one(son, session=session)
    return son
