"""API bearer tokens: the user's session token, signed and dated, so every way of ending sessions revokes them."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..models import User

SALT = "bilheteria-api-token"


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_token(user):
    """A signed token for `user` (valid until it expires or the user's sessions are ended)."""
    return _serializer().dumps(user.session_token)


def user_for_token(token):
    """The active user a token was issued to, or None (bad signature, expired, or sessions ended since)."""
    if not token or len(token) > 512:
        return None
    try:
        session_token = _serializer().loads(token, max_age=current_app.config["PERMANENT_SESSION_LIFETIME"])
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return User.objects(session_token=session_token, active=True).first()
