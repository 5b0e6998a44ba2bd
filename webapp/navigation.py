"""The navigation bar: each entry appears for the roles that may use it, once its page exists."""
from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

NAV = [
    ("main.home", _l("Home"), ("admin", "manager", "seller", "door")),
    ("sales.pos", _l("Sell"), ("seller",)),
    ("sales.orders", _l("Orders"), ("seller",)),
    ("door.index", _l("Door"), ("door",)),
    ("catalog.events", _l("Shows"), ("seller",)),
    ("catalog.venues", _l("Venues"), ("admin",)),
    ("reports.index", _l("Reports"), ("manager",)),
    ("refunds.pending", _l("Refunds"), ("manager",)),
    ("audit.index", _l("Audit"), ("manager",)),
    ("staff.index", _l("Staff"), ("admin",)),
]


def nav_items():
    """[(endpoint, label, active)] for the signed-in user; the active entry is the one whose address is the
    longest prefix of this page's (so /orders/<n> lights "Orders", not also "Sell" of the same blueprint)."""
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return []
    views = current_app.view_functions
    entries = [(endpoint, label, url_for(endpoint)) for endpoint, label, roles in NAV
               if endpoint in views and user.has_role(*roles)]
    path = request.path
    matches = [url for _, _, url in entries if url == path or (url != "/" and path.startswith(url.rstrip("/") + "/"))
               or path == url.rstrip("/")]
    best = max(matches, key=len, default=None)
    return [(endpoint, label, url == best) for endpoint, label, url in entries]
