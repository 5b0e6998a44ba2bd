"""Liveness/readiness for load balancers and Kubernetes."""
from flask import Blueprint, current_app, jsonify
from flask_login import current_user
from redis import Redis
from redis.exceptions import RedisError
from pymongo.errors import PyMongoError

from .. import db

bp = Blueprint("health", __name__)


def _mongo_status():
    try:
        hello = db.client().admin.command("hello")
    except PyMongoError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": bool(hello.get("isWritablePrimary")), "primary": hello.get("primary"),
            "replica_set": hello.get("setName")}


def _redis_status():
    try:
        Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=1, socket_connect_timeout=1).ping()
    except RedisError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


@bp.route("/livez")
def livez():
    """Liveness: the process answers. Kept free of MongoDB/Redis so an outage doesn't restart every pod."""
    return jsonify(status="ok")


def _asked_by_admin():
    try:
        return current_user.is_authenticated and current_user.has_role("admin")
    except PyMongoError:  # the session's user cannot be read while MongoDB is down: answer as to anyone
        return False


@bp.route("/healthz")
def healthz():
    """Readiness: 200 when MongoDB (a writable primary) and Redis answer, else 503. Only an admin is told which part,
    its hosts and the replica set's name; anyone else (load balancers, probes, strangers) only up or down."""
    status = {"mongo": _mongo_status(), "redis": _redis_status()}
    healthy = all(part["ok"] for part in status.values())
    details = status if _asked_by_admin() else {}
    return jsonify(status=("ok" if healthy else "degraded"), **details), (200 if healthy else 503)
