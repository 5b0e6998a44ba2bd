"""The managers' dashboard: today at a glance, shows on sale, sales over time — all from bounded reads.

Every figure comes from the report aggregates (buckets of today, the last 24 hours, the last 30 days), the
inventory counters and an indexed count of admitted tickets per listed show, so the page costs the same
whether the history holds ten thousand tickets or ten million.
"""
from collections import Counter
from datetime import timedelta

from ..i18n import chart_day, chart_hour
from ..models import Event, Inventory, SalesDay, Ticket, TicketType, User
from ..models.base import utcnow
from ..timezones import to_local, utc_from_date
from .aggregates import app_zone, hour_key, hour_start, local_day
from .reports import method_label

MAX_SHOWS = 40
_SUMS = ("orders", "sold", "comps", "returned", "gross_cents", "refunds_cents")


def _figures(counter):
    figures = {name: counter.get(name, 0) for name in _SUMS}
    figures["net_tickets"] = figures["sold"] - figures["returned"]
    figures["net_cents"] = figures["gross_cents"] - figures["refunds_cents"]
    return figures


def _today(day):
    """Totals, per payment method, per ticket type and per seller of one local day."""
    total, methods, tiers, sellers = Counter(), {}, {}, {}
    for doc in SalesDay._get_collection().find({"day": day}, {"hours": 0}):
        total.update({k: doc.get(k, 0) for k in _SUMS})
        sellers.setdefault(doc["seller_id"], Counter()).update({k: doc.get(k, 0) for k in _SUMS})
        for method, figures in (doc.get("methods") or {}).items():
            methods.setdefault(method, Counter()).update(figures)
        for tier, figures in (doc.get("tiers") or {}).items():
            tiers.setdefault(tier, Counter()).update(figures)
    tier_docs = {str(t.pk): t for t in TicketType.objects(id__in=list(tiers)).only("name", "event")}
    titles = {e.pk: e.title for e in Event.objects(id__in=list({t.event.pk for t in tier_docs.values()})).only("title")}
    names = {u.pk: u.name for u in User.objects(id__in=list(sellers)).only("name")}
    return {
        "figures": _figures(total),
        "methods": sorted(({"method": m, "label": method_label(m), "in_cents": c.get("in_cents", 0),
                            "out_cents": c.get("out_cents", 0), "net_cents": c.get("in_cents", 0) - c.get("out_cents", 0)}
                           for m, c in methods.items()), key=lambda r: r["method"]),
        "tiers": sorted(({"label": f"{titles.get(tier_docs[t].event.pk, '?')} · {tier_docs[t].name}" if t in tier_docs
                          else "?", **_figures(c)} for t, c in tiers.items()), key=lambda r: -r["net_cents"]),
        "sellers": sorted(({"label": names.get(s, "?"), **_figures(c)} for s, c in sellers.items()),
                          key=lambda r: -r["net_cents"]),
    }


def _shows(now, tz):
    """Shows on sale or happening today, with sold / capacity and admitted at the door."""
    today = to_local(now, tz).date()
    start, end = utc_from_date(today, tz), utc_from_date(today, tz, end_of_day=True)
    events = list(Event.objects(__raw__={"$or": [{"status": "on_sale"}, {
        "starts_at": {"$gte": start, "$lt": end}, "status": {"$nin": ["draft", "cancelled"]}}]})
        .only("title", "starts_at", "capacity", "status").order_by("starts_at").limit(MAX_SHOWS))
    ids = [e.pk for e in events]
    sold = {c["event_id"]: c.get("sold", 0) for c in Inventory._get_collection().find(
        {"_id": {"$in": [Inventory.event_key(i) for i in ids]}}, {"event_id": 1, "sold": 1})}
    # The (event_id, status) index: cost follows the listed shows' admissions, not the history.
    admitted = {g["_id"]: g["n"] for g in Ticket._get_collection().aggregate([
        {"$match": {"event_id": {"$in": ids}, "status": "used"}}, {"$group": {"_id": "$event_id", "n": {"$sum": 1}}}])}
    return [{"event": e, "today": start <= e.starts_at < end, "sold": sold.get(e.pk, 0), "capacity": e.capacity,
             "admitted": admitted.get(e.pk, 0),
             "occupancy_pct": min(100, round(100 * sold.get(e.pk, 0) / e.capacity)) if e.capacity else 0}
            for e in events]


def _last_hours(now, tz, hours=24):
    """Tickets and net revenue per UTC hour of the last `hours`, labelled with the local hour."""
    first = hour_start(now) - timedelta(hours=hours - 1)
    keys = [hour_key(first + timedelta(hours=i)) for i in range(hours)]
    # The hour entries live in the day buckets of the local days the range overlaps (its last hour may end on
    # a later local day than `now` where the zone's offset is not whole hours); only `hours` is read.
    end = first + timedelta(hours=hours) - timedelta(microseconds=1)
    sums = {key: Counter() for key in keys}
    for doc in SalesDay._get_collection().find({"day": {"$gte": local_day(first, tz), "$lte": local_day(end, tz)}},
                                               {"hours": 1, "_id": 0}):
        for key, figures in (doc.get("hours") or {}).items():
            if key in sums:
                sums[key].update(figures)
    return [{"label": chart_hour(to_local(first + timedelta(hours=i), tz)),
             "tickets": sums[key]["sold"] - sums[key]["returned"],
             "net_cents": sums[key]["gross_cents"] - sums[key]["refunds_cents"]} for i, key in enumerate(keys)]


def _last_days(today, days=30):
    first = today - timedelta(days=days - 1)
    sums = {g["_id"]: g for g in SalesDay._get_collection().aggregate([
        {"$match": {"day": {"$gte": first.isoformat(), "$lte": today.isoformat()}}},
        {"$group": {"_id": "$day", **{k: {"$sum": f"${k}"} for k in ("sold", "returned", "gross_cents", "refunds_cents")}}}])}
    series = []
    for i in range(days):
        day = first + timedelta(days=i)
        g = sums.get(day.isoformat(), {})
        series.append({"label": chart_day(day), "tickets": g.get("sold", 0) - g.get("returned", 0),
                       "net_cents": g.get("gross_cents", 0) - g.get("refunds_cents", 0)})
    return series


def dashboard(now=None):
    """Everything the dashboard shows, computed now."""
    tz = app_zone()
    now = now or utcnow()
    today = to_local(now, tz).date()
    return {"day": today, "updated_at": now, "shows": _shows(now, tz), "hours": _last_hours(now, tz),
            "days": _last_days(today), **_today(today.isoformat())}
