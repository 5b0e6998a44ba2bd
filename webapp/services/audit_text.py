"""The audit trail in human terms: actions and fields named, money formatted, ids as names, times local."""
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bson import ObjectId
from flask_babel import format_datetime
from flask_babel import gettext as _

from .. import labels
from ..i18n import money
from ..models import Event, Shift, Ticket, TicketType, User, Venue

EMPTY = "—"  # a value that was not set
LIMIT = 60  # characters of one shown value: ticket lists and titles are cut, with "…"
# Fields whose stored value is an enumerated code, by the kind of document the entry is about.
_STATUS_OF = {"Order": "order_status", "Ticket": "ticket_status", "Event": "event_status", "Shift": "shift_status"}
_ENUM_FIELDS = {"held_back_as": "seat_block", "roles": "role", "kind": "venue_kind", "method": "payment_method", "notes": "release_note",
                "locale": "language"}
_METHOD_SUMS = ("payments", "methods")  # {payment method: cents}
_SHOW_IDS = ("event_id", "source")  # a show's id, kept as text
_NAMED = {"Event": (Event, "title"), "Venue": (Venue, "name"), "TicketType": (TicketType, "name"),
          "Ticket": (Ticket, "code"), "User": (User, "name"), "Shift": (Shift, "seller_name")}


@dataclass
class Line:
    """One entry as the viewer shows it."""

    entry: object
    action: str
    target: str
    show: str
    reason: str
    changes: list = field(default_factory=list)  # [(field label, old text or None if absent, new text or None)]


def _oid(value):
    return ObjectId(str(value)) if value is not None and ObjectId.is_valid(str(value)) else None


def _names(entries):
    """{(kind, id): name} for the shows, venues and targets the page mentions: one query per kind of document."""
    wanted = {}
    for e in entries:
        if e.event_id:
            wanted.setdefault("Event", set()).add(e.event_id)
        if e.target_type in _NAMED and _oid(e.target_id):
            wanted.setdefault(e.target_type, set()).add(_oid(e.target_id))
        for values in (e.before or {}, e.after or {}):
            for key in _SHOW_IDS:
                if _oid(values.get(key)):
                    wanted.setdefault("Event", set()).add(_oid(values[key]))
            if _oid(values.get("venue")):
                wanted.setdefault("Venue", set()).add(_oid(values["venue"]))
    names = {}
    for kind, ids in wanted.items():
        model, attr = _NAMED[kind]
        for doc in model.objects(id__in=list(ids)).only(attr):
            names[(kind, str(doc.pk))] = getattr(doc, attr) or ""
    return names


def _when(value):
    if isinstance(value, str):  # some entries keep a time as ISO text
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return format_datetime(value if value.tzinfo else value.replace(tzinfo=timezone.utc), "short")


def _cut(text):
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def value_text(key, value, target_type=None, names=None):
    """One stored value as a person reads it (`key` says what it is; `names` maps ids to names)."""
    names = names or {}
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "status" and target_type in _STATUS_OF:
        return labels.label(_STATUS_OF[target_type], value)
    if key in _METHOD_SUMS and isinstance(value, dict):
        return _cut(", ".join(f"{labels.label('payment_method', m)} {money(c)}" for m, c in value.items()))
    if key == "references" and isinstance(value, dict):  # {payment method: reversal reference}
        return _cut(", ".join(f"{labels.label('payment_method', m)} {r}" for m, r in value.items()))
    if key in _ENUM_FIELDS:
        items = value if isinstance(value, (list, tuple)) else [value]
        return _cut(", ".join(labels.label(_ENUM_FIELDS[key], v) for v in items))
    if key in _SHOW_IDS or key == "venue":
        return _cut(names.get(("Venue" if key == "venue" else "Event", str(value)), str(value)))
    if isinstance(value, int) and key.endswith("_cents"):
        return money(value)
    if isinstance(value, datetime) or (key.endswith("_at") and isinstance(value, str)):
        return _when(value)
    if isinstance(value, (list, tuple)):
        return _cut(", ".join(value_text("", v) for v in value))
    if isinstance(value, dict):
        return _cut(", ".join(f"{k}: {value_text(str(k), v)}" for k, v in value.items()))
    return _cut(str(value))


def changes(before, after, target_type=None, names=None):
    """[(field label, old, new)] of the fields whose value changed; old/new is None when the field is absent."""
    before, after = before or {}, after or {}
    keys = list(before) + [k for k in after if k not in before]
    return [(labels.label("audit_field", key),
             value_text(key, before[key], target_type, names) if key in before else None,
             value_text(key, after[key], target_type, names) if key in after else None)
            for key in keys if before.get(key, object) != after.get(key, object)]


def _target(entry, names):
    if not entry.target_type:
        return ""
    kind = labels.label("target_type", entry.target_type)
    if entry.target_type == "Order":
        return ""  # the order number is shown on its own line
    name = names.get((entry.target_type, str(entry.target_id)))
    return f"{kind}: {_cut(name)}" if name else kind


def present(entries):
    """The page's entries as Lines, with one lookup per kind of named document for the whole page."""
    names = _names(entries)
    return [Line(entry=e, action=labels.label("audit_action", e.action), target=_target(e, names),
                 show=_cut(names.get(("Event", str(e.event_id)), "")) if e.event_id else "",
                 reason=labels.reason(e.reason),
                 changes=changes(e.before, e.after, e.target_type, names)) for e in entries]
