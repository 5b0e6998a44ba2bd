"""JSON API under /api/v1: Bearer-token auth (see security.py), marshmallow schemas as the one source of truth.

The schemas (schemas.py and each area's module) validate every request and are what flask-smorest turns into the
OpenAPI 3 document at /api/v1/openapi.json (docs.py serves Swagger UI at /api/docs/). Errors have one shape,
{error, fields}: 400 when a request does not match its schema, 422 when a rule of the services refuses it, 409
when the state conflicts (sold out, already closed), 404/401/403 as usual. One blueprint, one module per area.
"""
from datetime import timezone

from flask import g, jsonify
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Api, Blueprint
from marshmallow import Schema
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import HTTPException

from ...extensions import csrf
from ...inputs import BadInput
from ...payment_methods import METHODS
from ...services import ServiceError, sessions
from ...services.door import Forbidden
from .schemas import ERROR_TEXTS, ErrorSchema, field_messages


class InvalidFields(ServiceError):
    """A request that does not match its schema: 400 with each field's message."""

    def __init__(self, fields):
        super().__init__(_("Check the fields."))
        self.fields = fields


class _Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400
    # Query strings follow their schema's `unknown` (schemas.Query refuses parameters it does not know).
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        return req.get_json()  # inputs.Request: nesting depth and broken text checked (400)

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        raise InvalidFields(field_messages(error.messages))

    def _get_schema(self, argmap, req):
        # webargs makes a new instance of a schema class per request (copying every field, then the nested schemas'
        # on first use): a third of parsing a sale. Our schemas keep no state between loads, so one instance each.
        if isinstance(argmap, type) and issubclass(argmap, Schema):
            schema = _SCHEMAS.get(argmap)
            if schema is None:
                schema = _SCHEMAS.setdefault(argmap, argmap())
            return schema
        return super()._get_schema(argmap, req)


_SCHEMAS = {}  # schema class → its one instance (filled on first use; a race only makes a spare)


bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.ARGUMENTS_PARSER = _Parser()
# No cookie authenticates a request here (security.load_user ignores it under /api/v1/, but for the spec), only the
# Authorization header, which a cross-site form cannot send: CSRF tokens would protect nothing.
csrf.exempt(bp)


class _Api(Api):
    DEFAULT_ERROR_RESPONSE_NAME = None  # no catch-all "default": every status an operation answers is listed
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass  # errors.py and the handlers below answer {error, fields}; flask-smorest's would replace the pages'


def init_api(app):
    """Register the blueprint with flask-smorest, which builds the OpenAPI 3 document from the schemas."""
    api = _Api(app, spec_kwargs={
        "title": "Bilheteria API", "version": "1", "openapi_version": "3.0.3",
        "info": {"description": "Box office API. Money is integer cents (BRL), times ISO 8601 UTC. Errors are "
                                "{error, fields}. Send `Authorization: Bearer <token>` (POST /api/v1/auth/login)."},
        "security": [{"bearer": []}]})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    # Its `flask openapi` commands: the document is served at /api/v1/openapi.json, and commands live in cli.py.
    app.cli.commands.pop("openapi", None)
    api.register_blueprint(bp)
    # Operations are tagged by area (auth, events, orders...); the blueprint's own tag would be an empty section.
    api.spec._tags = [tag for tag in api.spec._tags if tag["name"] != bp.name]
    app.extensions["bilheteria_api"] = api
    return api


def error(message, status=400, fields=None, headers=None):
    """The API's error body: {error, fields}."""
    return jsonify(error=message, fields=fields or {}), status, headers or {}


def answers(*codes):
    """Document the error statuses an operation can answer (each with the {error, fields} body); any may answer 503
    (the database out of reach, or an earlier try of the same request still under way)."""

    def decorator(view):
        documented = view
        for code in sorted({*codes, 503}, reverse=True):
            documented = bp.alt_response(code, schema=ErrorSchema, description=ERROR_TEXTS[code])(documented)
        # Only the document needs them: the view keeps flask-smorest's record of these statuses, not its pass-through
        # wrapper per status (each looked up the app on every request).
        view._apidoc = documented._apidoc
        return view

    return decorator


# The services name the pages' fields; the API's JSON names some differently.
API_FIELD_NAMES = {"price": "price_cents", "venue": "venue_id", "customer_name": "customer.name",
                   "customer_email": "customer.email", "customer_phone": "customer.phone", "quantities": "items",
                   "documents": "items", "tickets": "ticket_codes", "opening_float": "opening_float_cents",
                   "counted_cash": "counted_cash_cents", **{m.form_field: "payments" for m in METHODS.values()}}


@bp.errorhandler(ServiceError)
def _service_error(exc):
    if isinstance(exc, InvalidFields):
        return error(exc.message, 400, exc.fields)
    # A well-formed request a rule refused is a 422 here (400 is kept for requests the schema refuses).
    status = 422 if exc.status == 400 and not isinstance(exc, BadInput) else exc.status
    field = {**API_FIELD_NAMES, **g.get("api_field_names", {})}.get(exc.field, exc.field)
    retry = {"Retry-After": str(exc.retry_after)} if getattr(exc, "retry_after", None) else None
    return error(exc.message, status, {field: exc.message} if field else None, retry)


# Headers an error keeps: the methods allowed (405), when to retry (429), how to authenticate (401).
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


@bp.errorhandler(HTTPException)
def _http_error(exc):
    from ...errors import status_messages

    headers = {k: v for k, v in exc.get_headers() if k in KEPT_HEADERS}
    return error(status_messages().get(exc.code, exc.description), exc.code or 400, headers=headers)


def require_recent_sign_in():
    """Refunds, exchanges and undoing an admission need the password typed within RECENT_SIGN_IN_MINUTES, as on
    the pages (a token's sign-in is when its password was typed); 403 otherwise."""
    if not sessions.is_recent(getattr(current_user, "auth_session", None)):
        raise Forbidden(_("Sign in again (POST /api/v1/auth/login) to do this: the password was typed too long "
                          "ago."))


def iso(value):
    """A datetime as ISO 8601 UTC with Z (naive values from MongoDB are UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


from . import auth, checkins, events, holds, orders, reports, returns, seats, shifts, venues  # noqa: E402,F401
