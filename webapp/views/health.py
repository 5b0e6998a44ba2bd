"""Liveness/readiness for load balancers and Kubernetes."""
from flask import Blueprint, current_app, jsonify
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


@bp.route("/healthz")
def healthz():
    """JSON status of MongoDB (primary reachable, replica set) and Redis: 200 when both are up, else 503."""
    status = {"mongo": _mongo_status(), "redis": _redis_status()}
    healthy = all(part["ok"] for part in status.values())
    return jsonify(status=("ok" if healthy else "degraded"), **status), (200 if healthy else 503)
