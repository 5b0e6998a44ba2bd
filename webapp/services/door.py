"""The door: admit a ticket exactly once, explain every refusal, count who came in."""
import re
from dataclasses import dataclass
from datetime import timedelta

from babel.dates import format_datetime
from bson import ObjectId
from flask_babel import get_locale
from flask_babel import gettext as _
from pymongo import ReturnDocument

from .. import db
from ..models import Event, Order, Ticket
from ..models.base import utcnow
from ..timezones import as_utc, to_local, zone
from . import Conflict, NotFound, ServiceError, ticket_codes
from .audit import record
from .events import get_event
from .ticket_print import seat_parts

MAX_CODE = 64  # Ticket.code's max_length: anything longer is no ticket of ours
MAX_GATE = 40
DOOR_STATUSES = ("on_sale", "sales_closed")


class Forbidden(ServiceError):
    status = 403


@dataclass
class AdmissionResult:
    """What the door screen shows: admitted or not, why, and the ticket when there is one."""

    admitted: bool
    reason: str  # admitted | used | void | other_show | unknown | show_closed
    message: str
    code: str
    ticket: Ticket = None


def clean_code(text):
    """The code as printed: surrounding (and scanner-inserted) whitespace removed."""
    return re.sub(r"\s+", "", text or "")


def clean_gate(text):
    """A gate name such as "Porta A": required, one line, at most 40 characters."""
    gate = " ".join((text or "").split())
    if not gate:
        raise ServiceError(_("Type the name of this gate (e.g. Porta A)."), "gate")
    if len(gate) > MAX_GATE:
        raise ServiceError(_("The gate name can have at most %(n)d characters.", n=MAX_GATE), "gate")
    return gate


get_show = get_event  # the show scanned at the door (NotFound for a bad or unknown id)


def closed_reason(event):
    """Why the door of this show is shut (cancelled, finished, not on sale yet), or None when it is open."""
    if event.status in DOOR_STATUSES:
        return None
    if event.status == "cancelled":
        return _("This show was cancelled: nobody is admitted.")
    if event.status == "finished":
        return _("This show has finished: nobody is admitted.")
    return _("This show is not on sale: nobody is admitted.")


def open_show(event_id):
    """The show the door is about to scan, refused (ServiceError) when its door is shut."""
    event = get_show(event_id)
    reason = closed_reason(event)
    if reason:
        raise ServiceError(reason, "event_id")
    return event


def _today(event, now):
    tz_name = event.venue.timezone if event.venue else None
    return to_local(event.starts_at, tz_name).date() == to_local(now, tz_name).date()


def door_shows(now=None):
    """Shows the door may scan (on sale or sales closed, not ended more than six hours ago) as
    [{"event", "today"}]: today's first, each group soonest first."""
    now = now or utcnow()
    events = Event.objects(status__in=DOOR_STATUSES, ends_at__gte=now - timedelta(hours=6)).order_by("starts_at")
    rows = [{"event": event, "today": _today(event, now)} for event in events.limit(100)]
    return sorted(rows, key=lambda row: not row["today"])  # stable: each group keeps its starting order


def next_show(rows, now=None):
    """The show the door most likely came for: today's next to start, else today's still running, else the first."""
    now = as_utc(now or utcnow())
    today = [row["event"] for row in rows if row["today"]]
    upcoming = [e for e in today if as_utc(e.starts_at) >= now]
    running = [e for e in today if as_utc(e.ends_at or e.starts_at) >= now]
    return (upcoming or running or [row["event"] for row in rows] or [None])[0]


def venue_time(value, event, fmt="short"):
    """A UTC time as the wall clock of the show's venue, in the user's language."""
    tz_name = event.venue.timezone if event and event.venue else None
    return format_datetime(to_local(value, tz_name), fmt, tzinfo=zone(tz_name), locale=str(get_locale()))


def void_story(ticket, event):
    """What made a void ticket void and when, as the door tells it: refunded, cancelled at the box office,
    exchanged (naming the order that holds the valid ticket), the show cancelled, or the sale undone."""
    order = Order.objects(pk=ticket.order_id).only("status", "refunds").first()
    entry = order.refund_of(ticket.code) if order else None
    at = (entry.at if entry else None) or ticket.voided_at
    when = venue_time(at, event, "medium") if at else "?"
    kind = entry.kind if entry else ("failed" if order and order.status == "failed" else None)
    if kind == "exchange":
        return _("Exchanged on %(when)s: the valid ticket is in order %(number)s.", when=when,
                 number=entry.reference or "?")
    if kind == "refund":
        return _("Refunded on %(when)s: this ticket is void.", when=when)
    if kind == "void":
        return _("Cancelled at the box office on %(when)s: this ticket is void.", when=when)
    if kind == "cancellation":
        return _("The show was cancelled (%(when)s): this ticket is void.", when=when)
    if kind == "failed":
        return _("The sale was undone on %(when)s (its payment failed): this ticket is void.", when=when)
    return _("Void ticket since %(when)s.", when=when) if at else _("Void ticket.")


def _refusal(code, ticket, event):
    if ticket is None:
        return AdmissionResult(False, "unknown", _("Unknown code: no ticket has this code."), code)
    if ticket.event_id != event.pk:
        other = Event.objects(pk=ticket.event_id).first()
        message = _("Ticket for another show: %(title)s on %(when)s.", title=other.title if other else "?",
                    when=venue_time(other.starts_at, other) if other else "?")
        return AdmissionResult(False, "other_show", message, code, ticket)
    if ticket.status == "void":
        return AdmissionResult(False, "void", void_story(ticket, event), code, ticket)
    message = _("Already used on %(when)s at %(gate)s by %(who)s.", when=venue_time(ticket.used_at, event, "medium"),
                gate=ticket.gate or "?", who=ticket.used_by_name or "?")
    return AdmissionResult(False, "used", message, code, ticket)


def admit(code, event_id, gate, user):
    """Admit the ticket `code` to show `event_id` at `gate`: one conditional update, so a ticket gets in once."""
    event = get_show(event_id)
    gate = clean_gate(gate)
    code = clean_code(code)
    # A status read before the update is enough: a cancellation committed after it voids the tickets
    # anyway, and the show's page may have been opened (or left open) before the show was cancelled.
    shut = closed_reason(event)
    if shut:
        return AdmissionResult(False, "show_closed", shut, code[:MAX_CODE])
    if not code or len(code) > MAX_CODE:
        return AdmissionResult(False, "unknown", _("Unknown code: no ticket has this code."), code[:MAX_CODE])
    codes = ticket_codes.candidates(code)  # typed by hand: any case, with the printed spaces or dashes
    # The filter carries the whole rule (this code, this show, still valid): two gates racing on one ticket
    # cannot both match, and there is no read-then-write window.
    doc = Ticket._get_collection().find_one_and_update(
        {"code": {"$in": codes}, "event_id": event.pk, "status": "valid"},
        {"$set": {"status": "used", "used_at": utcnow(), "used_by": user.pk, "used_by_name": user.name,
                  "gate": gate}},
        return_document=ReturnDocument.AFTER)
    if doc is not None:
        ticket = Ticket._from_son(doc)
        # The seat as the ticket prints it, section first: a label ("A1") may repeat in another section.
        message = " · ".join([ticket.tier_name, *seat_parts(ticket.seat)])
        return AdmissionResult(True, "admitted", message, ticket.code, ticket)
    ticket = Ticket.objects(code__in=codes).first()
    return _refusal(ticket.code if ticket else code, ticket, event)


def check_in(code, gate, user, event_id=None):
    """A scanner's check-in: admit() at show `event_id`, or (none given) at the show the ticket is for."""
    if event_id is None:
        code, gate = clean_code(code), clean_gate(gate)
        ticket = Ticket.objects(code__in=ticket_codes.candidates(code)).only("event_id").first() \
            if code and len(code) <= MAX_CODE else None
        if ticket is None:
            return AdmissionResult(False, "unknown", _("Unknown code: no ticket has this code."), code[:MAX_CODE])
        event_id = ticket.event_id
    return admit(code, event_id, gate, user)


def _undo_in(session, code, event_id, user, reason):
    before = Ticket._get_collection().find_one_and_update(
        {"code": code, "event_id": event_id, "status": "used"},
        {"$set": {"status": "valid"}, "$unset": {"used_at": "", "used_by": "", "used_by_name": "", "gate": ""}},
        session=session)
    if before is None:
        return None
    ticket = Ticket._from_son(before)
    record("ticket.admission_undo", user, session=session, target=ticket, reason=reason, event_id=event_id,
           order_number=ticket.order_number,
           before={"status": "used", "used_at": ticket.used_at.isoformat() if ticket.used_at else None,
                   "gate": ticket.gate, "used_by": ticket.used_by_name},
           after={"status": "valid"})
    return ticket.pk


def undo_admission(code, event_id, user, reason):
    """A manager lets an admitted ticket in again (used → valid), audited with the reason, in one transaction."""
    if not user.has_role("manager"):
        raise Forbidden(_("Only a manager can undo an admission."))
    event = get_show(event_id)
    code, reason = clean_code(code), " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Say why the admission is undone."), "reason")
    if len(reason) > 500:
        raise ServiceError(_("The reason can have at most %(n)d characters.", n=500), "reason")
    ticket_id = db.run_in_transaction(_undo_in, code[:MAX_CODE], event.pk, user, reason) if code else None
    if ticket_id is None:
        ticket = Ticket.objects(code=code, event_id=event.pk).first() if code and len(code) <= MAX_CODE else None
        if ticket is None:
            raise NotFound(_("No ticket of this show has this code."))
        raise Conflict(_("This ticket has not been admitted, so there is nothing to undo."))
    return Ticket.objects(pk=ticket_id).first()


# Who came in: an admitted ticket keeps its entry (used_at, gate) when it is voided later (a refund with an
# override, a cancelled show): those people did enter. Undoing an admission clears it.
_ENTERED = {"$or": [{"$eq": ["$status", "used"]}, {"$eq": [{"$type": "$used_at"}, "date"]}]}


def admissions(event_id):
    """One pass over a show's tickets (through the event_id index): {"valid", "used", "void", "admitted",
    "gates": {gate: {"n", "first", "last"}}}; admitted and gates count who entered, voided since or not."""
    out = {"valid": 0, "used": 0, "void": 0, "admitted": 0, "gates": {}}
    for group in Ticket._get_collection().aggregate([
            {"$match": {"event_id": event_id}},
            {"$group": {"_id": {"status": "$status", "gate": "$gate", "entered": _ENTERED}, "n": {"$sum": 1},
                        "first": {"$min": "$used_at"}, "last": {"$max": "$used_at"}}}]):
        key = group["_id"]
        out[key["status"]] = out.get(key["status"], 0) + group["n"]
        if key["entered"]:
            out["admitted"] += group["n"]
            gate = out["gates"].setdefault(key.get("gate"), {"n": 0, "first": None, "last": None})
            gate["n"] += group["n"]
            gate["first"] = min(filter(None, (gate["first"], group["first"])), default=None)
            gate["last"] = max(filter(None, (gate["last"], group["last"])), default=None)
    return out


def door_counts(event_id):
    """{"sold", "admitted", "gates": [(gate, admitted)]} for the show: who entered (even of a show cancelled since)
    and the tickets that let someone in (valid or entered)."""
    oid = event_id if isinstance(event_id, ObjectId) else get_show(event_id).pk
    seen = admissions(oid)
    gates = sorted(((gate, g["n"]) for gate, g in seen["gates"].items()), key=lambda item: item[0] or "")
    return {"sold": seen["valid"] + seen["admitted"], "admitted": seen["admitted"], "gates": gates}
