"""Idempotency-Key for operations whose service keeps no key of its own (shifts, check-ins): the first answer is
kept in Redis for a day and given again to a retry with the same key and body; another body is a 422. A retry while
the first try is under way is a 503 with Retry-After; a first try whose worker was killed is given up after twice the
request's bound, so its retries are not refused for the day.

Sales, holds, voids, refunds and exchanges do not use this: their services store the key in the same transaction
as the change.
"""
import hashlib
import json
from functools import wraps

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from redis import Redis

from ... import db
from ...services import Busy, ServiceError

KEEP_SECONDS = 24 * 3600


class KeyReused(ServiceError):
    status = 422


def _fingerprint(body):
    raw = json.dumps([request.endpoint, request.view_args, body], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def idempotent(view):
    """Place between @bp.arguments and @bp.response: the view's finished answer is what a retry gets."""

    @wraps(view)
    def wrapped(*args, key, **kwargs):
        redis = Redis.from_url(current_app.config["REDIS_URL"])
        name, mark = f"api-idempotency:{current_user.pk}:{key}", _fingerprint(args[0] if args else None)
        if not redis.set(name, json.dumps({"mark": mark}), nx=True, ex=round(db.surely_over_seconds()) + 1):
            kept = json.loads(redis.get(name) or "{}")
            if kept.get("mark") != mark:
                raise KeyReused(_("This Idempotency-Key was already used for another request: send a new key."))
            if "body" not in kept:
                raise Busy(_("This request is still being processed. Try again in a moment."))
            return current_app.response_class(kept["body"], kept["status"], mimetype="application/json")
        try:
            response = view(*args, **kwargs)
        except BaseException:
            redis.delete(name)  # nothing was done: a retry does it
            raise
        if 200 <= response.status_code < 300:
            redis.set(name, json.dumps({"mark": mark, "status": response.status_code,
                                        "body": response.get_data(as_text=True)}), ex=KEEP_SECONDS)
        else:
            redis.delete(name)
        return response

    return wrapped
