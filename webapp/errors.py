"""Error pages inside the layout (or JSON for the API); never a traceback."""
from flask import g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from pymongo.errors import AutoReconnect, ConnectionFailure, PyMongoError, ServerSelectionTimeoutError
from werkzeug.exceptions import HTTPException

from .services import ServiceError
from .views.helpers import wants_json


def status_messages():
    """{HTTP status: the message shown for it}, in the request's language."""
    return {
        400: _("The request could not be understood. Check the form and try again."),
        401: _("Please sign in."),
        403: _("Your role does not allow this. Ask an administrator if you need it."),
        404: _("This page does not exist, or what it showed was removed."),
        405: _("This action cannot be done that way."),
        413: _("What was sent is too large."),
        415: _("This page takes its form, not JSON (the JSON API is under /api/v1)."),
        429: _("Too many attempts. Wait a minute and try again."),
        500: _("Something went wrong on our side. Nothing was saved; try again."),
        503: _("The database is unreachable right now. Nothing was saved; try again in a moment."),
    }


def _kept_headers():
    # The methods allowed (405), when to retry (429), how to authenticate (401) survive the JSON error body.
    exc = getattr(g, "http_error", None)
    return {k: v for k, v in (exc.get_headers() if exc else ()) if k in ("Allow", "Retry-After", "WWW-Authenticate")}


def error_response(status, message=None):
    message = message or status_messages().get(status, status_messages()[500])
    if wants_json():
        return jsonify(error=message, fields={}, status=status), status, _kept_headers()
    if request.htmx:
        # An HTMX call's target is a fragment: show the error in the page's message area instead.
        return (render_template("errors/_message.html", message=message), status,
                {"HX-Retarget": "#flashes", "HX-Reswap": "innerHTML"})
    return render_template("errors/error.html", status=status, message=message), status


# Labels of a MongoDB error that says "not now" rather than "never": a write conflict on a document an orphaned
# transaction still holds, an election under way, a commit the server could not confirm in time.
_TEMPORARY_LABELS = ("TransientTransactionError", "UnknownTransactionCommitResult", "RetryableWriteError")


def temporary_database_error(exc):
    """True when trying the same request again later may work (timeouts, conflicts, failover)."""
    return bool(getattr(exc, "timeout", False)) or any(exc.has_error_label(label) for label in _TEMPORARY_LABELS)


def database_unavailable():
    """503 with "nothing was saved, try again" and a Retry-After: every write is one transaction and the same
    Idempotency-Key (or sale form) tried again never sells twice."""
    # Rendered without the database: a user not loaded yet (the timeout hit the sign-in check itself) stays
    # anonymous, instead of the language choice asking MongoDB again past the request's deadline (a 500).
    g.database_down = True
    response = make_response(error_response(503))
    response.headers["Retry-After"] = "1"
    return response


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return error_response(400, _("The form expired or was not sent from this site. Reload the page and try again."))

    @app.errorhandler(ServiceError)
    def service_error(exc):
        response = make_response(error_response(exc.status, exc.message))
        if getattr(exc, "retry_after", None):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc):
        g.http_error = exc
        return error_response(exc.code or 500)

    @app.errorhandler(ServerSelectionTimeoutError)
    @app.errorhandler(ConnectionFailure)
    @app.errorhandler(AutoReconnect)
    def database_down(exc):
        app.logger.error("database unavailable: %s", exc)
        return database_unavailable()

    @app.errorhandler(PyMongoError)
    def database_error(exc):
        if not temporary_database_error(exc):
            app.logger.exception("database error")
            return error_response(500)
        app.logger.warning("database busy, nothing saved: %s", exc)
        return database_unavailable()

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error")
        return error_response(500)
