"""POST /api/v1/auth/login: a Bearer token for a username and password; POST /api/v1/auth/logout ends it."""
from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from ...models import ROLES
from ...security import login_throttled, roles_required
from ...services import ServiceError, sessions
from ...services import users as user_service
from . import answers, bp, error
from .schemas import In, UtcDateTime


class LoginIn(In):
    # Strings, but anything is taken: a malformed credential (a number, a list, too long) gets the same 401, after
    # the same argon2 work, as a wrong password, so no answer or timing tells anything about the accounts.
    username = fields.Raw(required=True, metadata={"type": "string"})
    password = fields.Raw(required=True, metadata={"type": "string"})


class TokenOut(Schema):
    token = fields.String(required=True, metadata={"description": "send it as `Authorization: Bearer <token>`"})
    username = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    expires_at = UtcDateTime(required=True)


@bp.route("/auth/login", methods=["POST"])
@login_throttled
@bp.doc(tags=["auth"], security=[])
@bp.arguments(LoginIn)
@bp.response(200, TokenOut)
@answers(401, 429)
def login(body):
    """A token of its own for this client (ended by logout, the account page, a password change or deactivation)."""
    username, password = body["username"], body["password"]
    too_long = not isinstance(password, str) or len(password) > 128 or not isinstance(username, str) \
        or len(username) > 40
    try:
        # Malformed credentials still go through authenticate(): the same work and answer as any failure.
        user = user_service.authenticate(None if too_long else username, "" if too_long else password)
    except ServiceError as exc:
        return error(exc.message, exc.status)
    token = sessions.start(user, "api", ip=request.remote_addr, agent=request.user_agent.string)
    return {"token": token, "username": user.username, "roles": list(user.roles),
            "expires_at": user.auth_session.expires_at}


@bp.route("/auth/logout", methods=["POST"])
@roles_required(*ROLES)
@bp.doc(tags=["auth"])
@bp.response(204)
@answers(401)
def logout():
    """End the token this request was sent with (a person's or a device's)."""
    sessions.end(current_user.auth_session)
    return "", 204
