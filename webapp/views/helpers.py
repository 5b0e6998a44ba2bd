"""Small pieces shared by the views."""
from urllib.parse import urlsplit

from flask import redirect, render_template, request


def render(page, fragment=None, status=200, **context):
    """The fragment alone for an HTMX request, the whole page otherwise (so every URL works on reload)."""
    template = fragment if fragment and request.htmx and not request.htmx.boosted else page
    return render_template(template, **context), status


def safe_next(target, default):
    """`target` when it is a path on this site, `default` otherwise (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def wants_json():
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json" and not request.htmx)


def go(url):
    """After a successful POST: a redirect, or for HTMX a full navigation via HX-Redirect."""
    if request.htmx:
        return "", 204, {"HX-Redirect": url}
    return redirect(url)


def form_error(form, exc):
    """Show a ServiceError next to its field (or above the form when it names none)."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    else:
        form.form_errors.append(exc.message)
