"""RQ jobs: take ids, call services, idempotent (delivery is at least once)."""
from contextlib import nullcontext
from functools import wraps

from flask import has_app_context

_app = None


def _app_context():
    """The running app's context, or (in a bare worker) one of an app made from the environment."""
    global _app
    if has_app_context():
        return nullcontext()
    if _app is None:
        from .. import create_app

        _app = create_app()
    from .. import db

    db.connect(_app)  # after a fork the work horse needs its own MongoClient
    return _app.app_context()


def job(func):
    """Run the job function inside an app context."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        with _app_context():
            return func(*args, **kwargs)

    return wrapper
