"""POST /api/v1/auth/login: a Bearer token for a username and password; POST /api/v1/auth/logout ends it."""
from flasgger import swag_from
from flask import current_app, jsonify, request
from flask_login import current_user

from ...extensions import limiter
from ...models import ROLES
from ...security import roles_required
from ...services import ServiceError, sessions
from ...services import users as user_service
from . import bp, error, iso, json_body

LOGIN_SPEC = {
    "tags": ["auth"], "security": [],
    "parameters": [{"in": "body", "name": "body", "required": True, "schema": {
        "type": "object", "required": ["username", "password"],
        "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}],
    "responses": {"200": {"description": "{token, expires_at}: send it as `Authorization: Bearer <token>`"},
                  "401": {"description": "refused (the same answer for every reason)"}},
}
LOGOUT_SPEC = {"tags": ["auth"], "responses": {"204": {"description": "the token no longer works"},
                                               "401": {"description": "no valid token"}}}


@bp.route("/auth/login", methods=["POST"])
@swag_from(LOGIN_SPEC)
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    """A token of its own for this client (ended by logout, the account page, a password change or deactivation)."""
    body = json_body()
    username, password = body.get("username"), body.get("password")
    too_long = not isinstance(password, str) or len(password) > 128 or not isinstance(username, str) or len(username) > 40
    try:
        # Malformed credentials still go through authenticate(): the same work and answer as any failure.
        user = user_service.authenticate(None if too_long else username, "" if too_long else password)
    except ServiceError as exc:
        return error(exc.message, exc.status)
    token = sessions.start(user, "api", ip=request.remote_addr, agent=request.user_agent.string)
    return jsonify(token=token, username=user.username, roles=list(user.roles),
                   expires_at=iso(user.auth_session.expires_at))


@bp.route("/auth/logout", methods=["POST"])
@roles_required(*ROLES)
@swag_from(LOGOUT_SPEC)
def logout():
    """End the token this request was sent with (a person's or a device's)."""
    sessions.end(current_user.auth_session)
    return "", 204
