"""The audit trail viewer (managers and admins): filters in the query string, pages of entries, read only."""
from flask import Blueprint, request

from ..security import roles_required
from ..services import ServiceError
from ..services import audit_search, audit_text
from .helpers import render

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _page(filters, entries=(), total=0, error=None, status=200):
    pages = max(1, -(-total // audit_search.PER_PAGE))
    return render("audit/index.html", "audit/_table.html", filters=filters, lines=audit_text.present(entries),
                  total=total, pages=pages, error=error, status=status, **audit_search.choices())


@bp.route("/")
@roles_required("manager")
def index():
    """Entries newest first, filtered by date, user, action, show and order; HTMX swaps only the table."""
    try:
        filters = audit_search.parse_filters(request.args)
    except ServiceError as exc:
        # Show the form again with what was typed (cut short: it may be huge) and the reason it was refused.
        typed = {k: v[:100] for k, v in request.args.items()}
        return _page(audit_search.AuditFilters(values=typed), error=exc.message, status=400)
    entries, total = audit_search.search(filters)
    return _page(filters, entries, total)
