"""Who may do what: the login loaders, the role guard every view declares and the recent-sign-in guard."""
from functools import wraps

from flask import abort, current_app, flash, g, request, url_for
from flask_login import current_user, login_fresh

from .extensions import limiter, login_manager

# Endpoints reachable without logging in; a test walks app.url_map against this list.
PUBLIC_ENDPOINTS = {"static", "auth.login", "health.healthz", "health.livez", "main.set_language", "api.login"}
# Sent by the pages' automatic refreshes (dashboard, door counters): they keep no one "active" at an empty counter.
AUTO_REFRESH_HEADER = "X-Auto-Refresh"


API_PREFIX = "/api/v1/"
SPEC_PATH = "/api/v1/openapi.json"  # the API's document: read with a session (the docs page) or a token


@login_manager.user_loader
def load_user(token):
    """The browser's sign-in (the cookie holds its secret; see services/sessions.py)."""
    if request.path.startswith(API_PREFIX) and request.path != SPEC_PATH:
        return None  # the API ignores the session cookie (Bearer tokens only), so CSRF cannot matter there
    if g.get("database_down"):
        return None  # the 503 page of a database timeout must not ask the database again (errors.py)
    from .services import sessions

    return sessions.resume(token, ("web",), ip=request.remote_addr,
                           activity=not request.headers.get(AUTO_REFRESH_HEADER))


@login_manager.request_loader
def load_user_from_bearer(req):
    """The API's `Authorization: Bearer <token>`: a person's token (POST /api/v1/auth/login) or a device's."""
    header = req.headers.get("Authorization", "")
    if not req.path.startswith(API_PREFIX) or not header.startswith("Bearer ") or g.get("database_down"):
        return None
    from .services import sessions

    return sessions.resume(header[len("Bearer "):].strip(), ("api", "device"), ip=req.remote_addr)


def roles_required(*roles):
    """Allow the view to logged-in users holding any of `roles` (see User.ROLE_INCLUDES); 403 otherwise."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_user._get_current_object()  # one lookup through Flask-Login's proxy, not two
            if not user.is_authenticated:
                return login_manager.unauthorized()
            if not user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def login_throttled(view):
    """Sign-in forms (pages and API): at most RATELIMIT_LOGIN posts per client address, then 429. The one rate limit:
    the limiter checks it here, not in a before_request hook every request would pay (extensions.py)."""
    limited = limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        limiter.check()
        return limited(*args, **kwargs)

    return wrapped


def require_login_everywhere():
    """before_request: nothing but PUBLIC_ENDPOINTS is served to an anonymous visitor."""
    endpoint = request.endpoint
    if endpoint in PUBLIC_ENDPOINTS or endpoint is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def recent_sign_in():
    """True when the password was typed in this sign-in within RECENT_SIGN_IN_MINUTES (sign-in or re-authentication)."""
    from .services.sessions import is_recent

    return login_fresh() and is_recent(getattr(current_user, "auth_session", None))


def recent_sign_in_required(message, back, remember=None):
    """Refunds, overrides and staff changes: without a recent sign-in, off to type the password (saying `message`),
    then on to `back(**view_args)`; `remember(**view_args)` may first keep what the form held."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if recent_sign_in():
                return view(*args, **kwargs)
            from .views.helpers import go

            if remember is not None:
                remember(**kwargs)
            flash(str(message), "info")
            return go(url_for("auth.reauthenticate", next=back(**kwargs)))

        return wrapped

    return decorator
