"""Managers' reports: filters checked once, figures read from the report aggregates or indexed ranges.

A report is a title, typed columns and rows of raw values (cents, dates, counts); the screen, the CSV and
the XLSX all format the same rows, so they cannot disagree.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bson import ObjectId
from flask_babel import gettext as _

from ..models import Event, SalesDay, TicketType, User
from ..timezones import to_local, zone
from ..payment_methods import MONEY_CODES as MONEY_METHODS
from ..payment_methods import label as method_label
from . import ServiceError
from .aggregates import app_zone

MAX_DAYS = 366
PAGE_SIZE = 50
GROUPS = ("day", "show", "tier", "seller", "method")


@dataclass
class Report:
    """What every report view, export and test reads."""

    title: str
    columns: list  # [(key, label, kind)] kind: text | int | money | date | datetime
    rows: list  # [{key: raw value}] — every row, unpaginated
    totals: dict = field(default_factory=dict)
    filters: dict = field(default_factory=dict)
    highlight: str = ""  # a row key whose non-zero value marks the row (e.g. a cash difference)
    summary: list = field(default_factory=list)  # [(label, value, kind)] shown above the table
    link: tuple = ()  # (column key, endpoint, row key): that column's cells lead to endpoint(row key=row's value)

    def page(self, number, size=PAGE_SIZE):
        """(rows of page `number` (1-based, clamped), page number, page count)."""
        pages = max(1, -(-len(self.rows) // size))
        number = min(max(1, number), pages)
        return self.rows[(number - 1) * size:number * size], number, pages


def today_local():
    """Today's date in the venue time zone."""
    return datetime.now(zone(app_zone())).date()


def _date(text, default, label):
    text = (text or "").strip()
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ServiceError(_("%(field)s must be a date like 2025-03-31.", field=label), "date") from None


def _object_id(text, message, field_name):
    text = (text or "").strip()
    if not text:
        return None
    if not ObjectId.is_valid(text):
        raise ServiceError(message, field_name)
    return ObjectId(text)


def _page(text):
    try:
        return max(1, int(text or 1))
    except (TypeError, ValueError):
        return 1


def parse_filters(args):
    """The checked filters of a report from query-string args; ServiceError (400) with a clear message."""
    today = today_local()
    start = _date(args.get("start"), today - timedelta(days=29), _("The start date"))
    end = _date(args.get("end"), today, _("The end date"))
    if start > end:
        raise ServiceError(_("The start date is after the end date."), "date")
    if (end - start).days >= MAX_DAYS:
        raise ServiceError(_("Choose at most %(n)d days.", n=MAX_DAYS), "date")
    method = (args.get("method") or "").strip()
    if method and method not in MONEY_METHODS:
        raise ServiceError(_("Unknown payment method."), "method")
    group = (args.get("group") or "day").strip()
    if group not in GROUPS:
        raise ServiceError(_("Unknown grouping."), "group")
    filters = {"start": start, "end": end, "method": method, "group": group, "page": _page(args.get("page")),
               "event": _object_id(args.get("event"), _("Show not found."), "event"),
               "tier": _object_id(args.get("tier"), _("Ticket type not found."), "tier"),
               "seller": _object_id(args.get("seller"), _("Seller not found."), "seller"),
               "only_differences": args.get("only_differences") in ("1", "on", "true")}
    if (filters["tier"] or group == "tier") and (method or group == "method"):
        raise ServiceError(_("Payments belong to whole orders, not to ticket types: filter or group by a ticket "
                             "type or by a payment method, not both."), "group")
    return filters


# --- sales -------------------------------------------------------------------------------------------------

_TICKET_SUMS = ("orders", "sold", "comps", "returned", "gross_cents", "refunds_cents")
_TIER_SUMS = ("sold", "comps", "returned", "gross_cents", "refunds_cents")
_KEYS = {"day": "$day", "show": "$event_id", "seller": "$seller_id", "tier": "$items.k", "method": "$items.k"}


def _pipeline(filters):
    match = {"day": {"$gte": filters["start"].isoformat(), "$lte": filters["end"].isoformat()}}
    if filters["event"]:
        match["event_id"] = filters["event"]
    if filters["seller"]:
        match["seller_id"] = filters["seller"]
    dimension = "tiers" if filters["tier"] or filters["group"] == "tier" else (
        "methods" if filters["method"] or filters["group"] == "method" else None)
    item = filters["tier"] and str(filters["tier"]) or filters["method"]
    if item:
        match[f"{dimension}.{item}"] = {"$exists": True}
    stages = [{"$match": match}]
    if dimension is None:
        sums = {name: {"$sum": f"${name}"} for name in _TICKET_SUMS}
    else:
        stages += [{"$project": {"day": 1, "event_id": 1, "seller_id": 1, "items": {"$objectToArray": f"${dimension}"}}},
                   {"$unwind": "$items"}]
        if item:
            stages.append({"$match": {"items.k": item}})
        names = _TIER_SUMS if dimension == "tiers" else ("payments", "in_cents", "out_cents")
        sums = {name: {"$sum": f"$items.v.{name}"} for name in names}
    stages.append({"$group": {"_id": _KEYS[filters["group"]], **sums}})
    return stages, dimension


def _labels(group, keys):
    if group == "show":
        events = Event.objects(id__in=keys).only("title", "starts_at")
        return {e.pk: f"{e.title} · {to_local(e.starts_at, app_zone()):%d/%m/%Y %H:%M}" for e in events}
    if group == "seller":
        return {u.pk: u.name for u in User.objects(id__in=keys).only("name")}
    if group == "tier":
        tiers = list(TicketType.objects(id__in=[ObjectId(k) for k in keys if ObjectId.is_valid(k)]).only("name", "event"))
        titles = {e.pk: e.title for e in Event.objects(id__in=[t.event.pk for t in tiers]).only("title")}
        return {str(t.pk): f"{titles.get(t.event.pk, '?')} · {t.name}" for t in tiers}
    if group == "method":
        return {k: method_label(k) for k in keys}
    return {k: date.fromisoformat(k) for k in keys}


def _sales_row(raw, dimension):
    if dimension == "methods":
        gross, refunds = raw["in_cents"], raw["out_cents"]
        return {"payments": raw["payments"], "gross_cents": gross, "refunds_cents": refunds, "net_cents": gross - refunds}
    row = {name: raw.get(name, 0) for name in _TICKET_SUMS if name in raw}
    row["net_tickets"] = row["sold"] - row["returned"]
    row["net_cents"] = row["gross_cents"] - row["refunds_cents"]
    return row


def sales_report(filters):
    """Sales in a local date range grouped by day, show, tier, seller or payment method."""
    stages, dimension = _pipeline(filters)
    raws = list(SalesDay._get_collection().aggregate(stages))
    labels = _labels(filters["group"], [r["_id"] for r in raws])
    rows = [dict(label=labels.get(r["_id"], str(r["_id"])), **_sales_row(r, dimension)) for r in raws]
    if filters["group"] == "day":
        rows.sort(key=lambda r: r["label"])
    else:
        rows.sort(key=lambda r: (-r["gross_cents"], str(r["label"])))
    first = {"day": (_("Day"), "date"), "show": (_("Show"), "text"), "tier": (_("Ticket type"), "text"),
             "seller": (_("Seller"), "text"), "method": (_("Payment method"), "text")}[filters["group"]]
    if dimension == "methods":
        columns = [("payments", _("Payments"), "int")]
    else:
        columns = [("sold", _("Tickets sold"), "int"), ("comps", _("Complimentary"), "int"),
                   ("returned", _("Returned"), "int"), ("net_tickets", _("Net tickets"), "int")]
    columns = [("label",) + first] + columns + [
        ("gross_cents", _("Gross"), "money"), ("refunds_cents", _("Refunds"), "money"), ("net_cents", _("Net"), "money")]
    totals = {key: sum(r.get(key) or 0 for r in rows) for key, _label, kind in columns[1:]}
    totals["label"] = _("Total")
    return Report(_("Sales"), columns, rows, totals, filters)
