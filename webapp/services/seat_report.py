"""The seats report: one seated show's occupancy by zone (sold, held, blocked, free), from its seats' statuses."""
from flask_babel import gettext as _

from ..models import Event
from . import NotFound
from .reports import Report
from .seat_pos import occupancy, zone_names


def seats_report(filters):
    """Occupancy of one seated show by zone: seats, sold, held at a counter, blocked, free, and sold in percent
    of the seats on sale."""
    event = Event.objects(pk=filters["event"]).first() if filters["event"] else None
    if filters["event"] and event is None:
        raise NotFound(_("Show not found."))
    columns = [("zone", _("Zone"), "text"), ("seats", _("Seats"), "int"), ("sold", _("Sold"), "int"),
               ("held", _("Held at a counter"), "int"), ("blocked", _("Blocked"), "int"), ("free", _("Free"), "int"),
               ("pct", _("Occupancy (%)"), "int")]
    if event is None:
        return Report(_("Seats"), columns, [], {}, filters)
    names = zone_names(event)
    rows = [dict(row, zone=f"{names.get(row['zone'], row['zone'])} ({row['zone']})") for row in occupancy(event.pk)]
    totals = {key: sum(r[key] for r in rows) for key in ("seats", "sold", "held", "blocked", "free")}
    on_sale = totals["seats"] - totals["blocked"]
    totals.update(zone=_("Total"), pct=round(100 * totals["sold"] / on_sale) if on_sale else 0)
    summary = [(_("Show"), event.title, "text"), (_("Starts"), event.starts_at, "datetime")]
    if not rows:
        summary.append((_("Seats"), _("This show has no numbered seats."), "text"))
    return Report(_("Seats"), columns, rows, totals if rows else {}, filters, summary=summary)
