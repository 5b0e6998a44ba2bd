"""Flask extensions, created once and bound to the app in create_app."""
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx


class _LoginManager(LoginManager):
    def _session_protection_failed(self):
        # Flask-Login hashes the address and User-Agent on every request before it looks at the session; with an
        # empty session (an API client, a visitor not signed in) it then answers False whatever the hash is.
        from flask import session

        return bool(session) and super()._session_protection_failed()


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its serializer made once per secret key instead of on every request."""

    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:  # a new key (a test may change it): a new serializer; a race only makes a spare
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer


login_manager = _LoginManager()
csrf = CSRFProtect()
htmx = Htmx()
babel = Babel()
# auto_check off: Flask-Limiter's before_request hook resolved every request's limits, and only the sign-in forms have
# any (security.login_throttled checks them explicitly); there are no default or application-wide limits.
limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="fixed-window", auto_check=False)
