"""MongoDB connection and the transaction helper for every write of money or tickets."""
import os

import mongoengine
from pymongo import ReadPreference
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


def run_in_transaction(callback, *args, **kwargs):
    """Run callback(session, ...) in one snapshot/majority transaction, retried on transient errors.

    The callback may run more than once, so it must have no side effects outside the database.
    """
    with client().start_session() as session:
        return session.with_transaction(
            lambda s: callback(s, *args, **kwargs),
            read_concern=ReadConcern("snapshot"),
            write_concern=WriteConcern("majority"),
            read_preference=ReadPreference.PRIMARY,
        )
