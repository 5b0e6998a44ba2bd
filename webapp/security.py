"""Who may do what: the login loader and the role guard every view declares."""
from functools import wraps

from flask import abort, request
from flask_login import current_user

from .extensions import login_manager
from .models import User

# Endpoints reachable without logging in; a test walks app.url_map against this list.
PUBLIC_ENDPOINTS = {"static", "auth.login", "health.healthz", "health.livez", "main.set_language", "api.login"}


API_PREFIX = "/api/v1/"


@login_manager.user_loader
def load_user(session_token):
    if request.path.startswith(API_PREFIX):
        return None  # the API ignores the session cookie (Bearer tokens only), so CSRF cannot matter there
    return User.objects(session_token=session_token, active=True).first()


@login_manager.request_loader
def load_user_from_bearer(req):
    """The API's `Authorization: Bearer <token>` (see services/tokens.py); nothing else uses it."""
    header = req.headers.get("Authorization", "")
    if not req.path.startswith(API_PREFIX) or not header.startswith("Bearer "):
        return None
    from .services.tokens import user_for_token

    return user_for_token(header[len("Bearer "):].strip())


def roles_required(*roles):
    """Allow the view to logged-in users holding any of `roles` (see User.ROLE_INCLUDES); 403 otherwise."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def require_login_everywhere():
    """before_request: nothing but PUBLIC_ENDPOINTS is served to an anonymous visitor."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None
