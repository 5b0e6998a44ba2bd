"""Small pieces shared by the views."""
from urllib.parse import urlsplit

from flask import redirect, render_template, request

from ..services import ServiceError


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


def form_error(form, exc, default_field=None):
    """Show a ServiceError next to its field (or `default_field`, or above the form when neither is given)."""
    name = exc.field or default_field
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    else:
        form.form_errors.append(exc.message)


def submit(form, action, default_field=None):
    """Validate `form` and run `action()`: (its result, 200) on success; (None, status for re-rendering the
    form) otherwise — 400 once submitted, with a refusing rule's message shown next to its field."""
    if form.validate_on_submit():
        try:
            return action(), 200
        except ServiceError as exc:
            form_error(form, exc, default_field)
    return None, 400 if form.is_submitted() else 200
