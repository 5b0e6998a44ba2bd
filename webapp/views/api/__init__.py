"""JSON API under /api/v1: Bearer-token auth (see security.py), JSON errors {error, fields}, Swagger docs.

One blueprint, one module per area (auth.py, events.py …): a new area adds a module and imports it below.
"""
from datetime import timezone

from flasgger import Swagger
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from ...extensions import csrf
from ...services import ServiceError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# No cookie authenticates a request here (security.load_user ignores it under /api/v1/), only the
# Authorization header, which a cross-site form cannot send: CSRF tokens would protect nothing.
csrf.exempt(bp)

SWAGGER_TEMPLATE = {
    "info": {"title": "Bilheteria API", "version": "1"},
    "securityDefinitions": {"bearer": {"type": "apiKey", "name": "Authorization", "in": "header",
                                       "description": "Bearer <token from POST /api/v1/auth/login>"}},
    "security": [{"bearer": []}],
}


def _init_swagger(state):
    # Docs are served under /api/docs/ and, like every non-public route, need a signed-in user.
    config = {"headers": [], "specs": [{"endpoint": "apispec", "route": "/api/docs/apispec.json",
                                        "rule_filter": lambda rule: rule.rule.startswith("/api/v1"),
                                        "model_filter": lambda tag: True}],
              "static_url_path": "/api/docs/static", "swagger_ui": True, "specs_route": "/api/docs/",
              "auth": {}}  # flasgger's page script reads this as JSON: without it the page runs `None` and stops
    Swagger(state.app, config=config, template=SWAGGER_TEMPLATE)


bp.record_once(_init_swagger)


def error(message, status=400, fields=None):
    """The API's error body: {error, fields}."""
    return jsonify(error=message, fields=fields or {}), status


# The services name the pages' fields; the API's JSON names a few differently.
API_FIELD_NAMES = {"price": "price_cents", "venue": "venue_id"}


@bp.errorhandler(ServiceError)
def _service_error(exc):
    field = API_FIELD_NAMES.get(exc.field, exc.field)
    return error(exc.message, exc.status, {field: exc.message} if field else None)


@bp.errorhandler(HTTPException)
def _http_error(exc):
    from ...errors import _messages

    return error(_messages().get(exc.code, exc.description), exc.code or 400)


def json_body():
    """The request's JSON object, or a ServiceError (400) for anything else."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ServiceError(_("Send a JSON object."))
    return body


def as_formdata(body, renames=None):
    """JSON values as the strings a form would post, so the API reuses the HTML forms' validation."""
    data = MultiDict()
    for key, value in body.items():
        key = (renames or {}).get(key, key)
        if value is None or value is False:
            continue
        data[key] = "y" if value is True else str(value)
    return data


def form_errors(form, renames=None):
    """A failed form as the API's 400: {error, fields}."""
    back = {v: k for k, v in (renames or {}).items()}
    fields = {back.get(name, name): " ".join(str(e) for e in errors) for name, errors in form.errors.items()}
    return error(_("Check the fields."), 400, fields)


def iso(value):
    """A datetime as ISO 8601 UTC with Z (naive values from MongoDB are UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


from . import auth, events, holds, orders, seats  # noqa: E402,F401  (routes attach to bp)
