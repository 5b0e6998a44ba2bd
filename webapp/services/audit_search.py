"""Reading the audit trail: validated filters and one page of entries (audit_text.py puts them in words)."""
import re
from dataclasses import dataclass, field
from datetime import date

from bson import ObjectId
from flask import current_app
from flask_babel import gettext as _

from .. import labels
from ..models import AuditEntry, Event, User
from ..timezones import utc_from_date
from . import ServiceError

PER_PAGE = 50
MAX_PAGE = 10_000
MAX_TEXT = 64  # longer than any username, action or order number
_TEXT = re.compile(r"^[A-Za-z0-9._:-]+$")


@dataclass
class AuditFilters:
    """What the viewer was asked for, as typed (kept for the form and the URL) and as a Mongo query."""

    values: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    page: int = 1


def _day(text, label):
    try:
        day = date.fromisoformat(text) if len(text) <= 10 else None
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2999:  # far-off years would overflow the UTC conversion
        raise ServiceError(_("%(field)s must be a date (YYYY-MM-DD).", field=label))
    return day


def _text(text, label):
    if len(text) > MAX_TEXT or not _TEXT.match(text):
        raise ServiceError(_("%(field)s has characters or a length that no entry can have.", field=label))
    return text


def parse_filters(args):
    """AuditFilters from a query string (dict-like); ServiceError (400) with a clear message for bad input."""
    values = {k: (args.get(k) or "").strip() for k in ("from", "to", "user", "action", "show", "order", "page")}
    query, tz = {}, current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if values["from"]:
        query.setdefault("at", {})["$gte"] = utc_from_date(_day(values["from"], _("From")), tz)
    if values["to"]:
        end = utc_from_date(_day(values["to"], _("To")), tz, end_of_day=True)
        if "at" in query and end <= query["at"]["$gte"]:
            raise ServiceError(_("The end date is before the start date."))
        query.setdefault("at", {})["$lt"] = end
    if values["user"]:
        username = _text(values["user"].lower(), _("User"))
        user = User.objects(username=username).only("id").first()
        # By id when the account exists, so the (user_id, -at) index serves the query.
        query.update({"user_id": user.pk} if user else {"username": username})
    if values["action"]:
        query["action"] = _text(values["action"], _("Action"))
    if values["show"]:
        if not ObjectId.is_valid(values["show"]):
            raise ServiceError(_("Unknown show."))
        query["event_id"] = ObjectId(values["show"])
    if values["order"]:
        query["order_number"] = _text(values["order"].upper(), _("Order"))
    page = values.pop("page") or "1"
    if not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
        raise ServiceError(_("Page must be a number from 1 to %(n)d.", n=MAX_PAGE))
    return AuditFilters(values={k: v for k, v in values.items() if v}, query=query, page=int(page))


def search(filters, per_page=PER_PAGE):
    """(entries of the requested page, newest first, total count) for the filters."""
    collection = AuditEntry._get_collection()
    total = collection.count_documents(filters.query)
    cursor = (collection.find(filters.query).sort([("at", -1), ("_id", -1)])
              .skip((filters.page - 1) * per_page).limit(per_page))
    return [AuditEntry._from_son(doc) for doc in cursor], total


def choices():
    """What the filter menus offer: actions seen in the trail (code, name), staff usernames, and shows."""
    actions = sorted(((a, labels.label("audit_action", a)) for a in AuditEntry._get_collection().distinct("action")),
                     key=lambda pair: pair[1].lower())
    users = [(u.username, u.name) for u in User.objects.only("username", "name").order_by("username")]
    shows = list(Event.objects.only("title", "starts_at").order_by("-starts_at").limit(300))
    return {"actions": actions, "users": users, "shows": shows}
