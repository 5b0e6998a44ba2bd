"""POST /api/v1/auth/login: a Bearer token for a username and password."""
from flasgger import swag_from
from flask import current_app, jsonify
from flask_babel import gettext as _

from ...extensions import limiter
from ...services import ServiceError
from ...services import users as user_service
from ...services.tokens import issue_token
from . import bp, error, json_body

LOGIN_SPEC = {
    "tags": ["auth"], "security": [],
    "parameters": [{"in": "body", "name": "body", "required": True, "schema": {
        "type": "object", "required": ["username", "password"],
        "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}],
    "responses": {"200": {"description": "{token}: send it as `Authorization: Bearer <token>`"},
                  "401": {"description": "wrong credentials, locked or deactivated account"}},
}


@bp.route("/auth/login", methods=["POST"])
@swag_from(LOGIN_SPEC)
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    """A token for the user (revoked by logout, password change or deactivation, like a session)."""
    body = json_body()
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or len(username) > 40 or len(password) > 128:
        return error(_("Wrong username or password."), 401)
    try:
        user = user_service.authenticate(username, password, current_app.config["LOGIN_MAX_FAILURES"])
    except ServiceError as exc:
        return error(exc.message, exc.status)
    return jsonify(token=issue_token(user), username=user.username, roles=list(user.roles))

