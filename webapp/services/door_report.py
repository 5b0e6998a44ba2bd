"""The door report: one show's admissions per gate, and how many of its tickets are valid, used and void."""
from flask_babel import gettext as _

from ..models import Event
from . import NotFound
from .door import admissions
from .reports import Report


def door_report(filters):
    """Admissions of one show per gate, with how many tickets are valid, used and void."""
    event = Event.objects(pk=filters["event"]).only("title", "starts_at", "capacity").first() if filters["event"] else None
    if filters["event"] and event is None:
        raise NotFound(_("Show not found."))
    columns = [("gate", _("Gate"), "text"), ("admitted", _("Admitted"), "int"),
               ("first_at", _("First admission"), "datetime"), ("last_at", _("Last admission"), "datetime")]
    if event is None:
        return Report(_("Door"), columns, [], {}, filters)
    seen = admissions(event.pk)  # who entered, also when their tickets were voided since (a cancelled show)
    rows = sorted(({"gate": gate or _("(no gate)"), "admitted": g["n"], "first_at": g["first"], "last_at": g["last"]}
                   for gate, g in seen["gates"].items()), key=lambda r: r["gate"])
    summary = [(_("Show"), event.title, "text"), (_("Starts"), event.starts_at, "datetime"),
               (_("Capacity"), event.capacity, "int"), (_("Tickets sold"), seen["valid"] + seen["admitted"], "int"),
               (_("Admitted"), seen["admitted"], "int"), (_("Not yet admitted"), seen["valid"], "int"),
               (_("Void"), seen["void"], "int")]
    return Report(_("Door"), columns, rows, {"gate": _("Total"), "admitted": seen["admitted"]}, filters,
                  summary=summary)
