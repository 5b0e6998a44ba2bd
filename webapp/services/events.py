"""Shows (an event is a show on a date): create, edit, duplicate, find."""
import math
import re
from dataclasses import dataclass
from datetime import timedelta

from bson import ObjectId
from flask import current_app
from flask_babel import gettext as _

from .. import db
from ..models import EVENT_STATUSES, Event, Inventory, TicketType
from ..models.base import utcnow
from . import Conflict, NotFound, ServiceError, seats
from .audit import record
from .counters import create_counter, resize_counter

EDITABLE_STATUSES = ("draft", "on_sale", "sales_closed")
MAX_YEARS_AHEAD = 5
MAX_DURATION = timedelta(hours=24)


@dataclass
class EventFields:
    """What an admin types for a show; times are aware datetimes (UTC after the venue's zone was applied)."""

    title: str
    venue: object
    starts_at: object
    ends_at: object
    doors_at: object = None
    description: str = ""
    capacity: int = None
    max_per_order: int = 10
    concession_cap_pct: int = 40
    sales_start: object = None
    sales_end: object = None


def _late_sale():
    return timedelta(minutes=current_app.config["LATE_SALE_MINUTES"])


def sales_close_at(starts_at, ends_at, sales_end=None):
    """When a show's sales close: its own "sales close at" when set, else LATE_SALE_MINUTES after it starts (late
    arrivals buy at the box office), never after it ends. The sale, the POS list, the show page and the API use it."""
    return sales_end or min(starts_at + _late_sale(), ends_at)


def sales_open_filter(now):
    """sales_close_at(...) >= now as a MongoDB filter on shows (for listing the ones still selling)."""
    return {"$or": [{"sales_end": {"$gte": now}},
                    {"sales_end": None, "starts_at": {"$gte": now - _late_sale()}, "ends_at": {"$gte": now}}]}


def snapshot(event):
    """The audited view of a show."""
    return {"title": event.title, "venue": str(event.venue.pk) if event.venue else None, "status": event.status,
            "starts_at": event.starts_at, "ends_at": event.ends_at, "doors_at": event.doors_at,
            "capacity": event.capacity, "max_per_order": event.max_per_order,
            "concession_cap_pct": event.concession_cap_pct, "sales_start": event.sales_start,
            "sales_end": event.sales_end}


def concession_quota(capacity, pct):
    """Concession (meia-entrada) tickets allowed: a share of the show's capacity, rounded down."""
    return capacity * pct // 100


def _int_in(value, low, high, field, message):
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ServiceError(message, field)


def _check_times(f, starts_changed):
    now = utcnow()
    if starts_changed and f.starts_at <= now:
        raise ServiceError(_("The show cannot start in the past."), "starts_at")
    if f.starts_at > now + timedelta(days=366 * MAX_YEARS_AHEAD):
        raise ServiceError(_("The show must start within %(n)d years.", n=MAX_YEARS_AHEAD), "starts_at")
    if f.ends_at <= f.starts_at:
        raise ServiceError(_("The show must end after it starts."), "ends_at")
    if f.ends_at - f.starts_at > MAX_DURATION:
        raise ServiceError(_("A show lasts at most 24 hours."), "ends_at")
    if f.doors_at and not f.starts_at - timedelta(hours=12) <= f.doors_at <= f.starts_at:
        raise ServiceError(_("Doors open before the show starts (at most 12 hours before)."), "doors_at")
    if f.sales_start and f.sales_end and f.sales_end <= f.sales_start:
        raise ServiceError(_("Sales must end after they start."), "sales_end")
    if f.sales_end and f.sales_end > f.ends_at:
        raise ServiceError(_("Sales cannot end after the show."), "sales_end")


def _check(f, starts_changed=True):
    f.title = (f.title or "").strip()
    f.description = (f.description or "").strip()
    if not f.title:
        raise ServiceError(_("Give the show a title."), "title")
    if len(f.title) > 160:
        raise ServiceError(_("At most %(n)d characters.", n=160), "title")
    if len(f.description) > 4000:
        raise ServiceError(_("At most %(n)d characters.", n=4000), "description")
    if f.venue is None:
        raise ServiceError(_("Choose a venue."), "venue")
    if f.capacity is None:
        f.capacity = f.venue.capacity
    _int_in(f.capacity, 1, f.venue.capacity, "capacity",
            _("The capacity must be from 1 to the venue's %(n)d.", n=f.venue.capacity))
    _int_in(f.max_per_order, 1, 100, "max_per_order", _("From 1 to 100 tickets per order."))
    _int_in(f.concession_cap_pct, 0, 100, "concession_cap_pct", _("A percentage from 0 to 100."))
    _check_times(f, starts_changed)
    return f


def _apply(event, f):
    for name in EventFields.__dataclass_fields__:
        setattr(event, name, getattr(f, name))
    event.updated_at = utcnow()
    event.validate()


def insert_event(session, actor, event, action="event.create", before=None):
    """Inside `session`'s transaction: the show, its total and concession counters, and the audit entry."""
    Event._get_collection().insert_one(event.to_mongo(), session=session)
    create_counter(session, Inventory.event_key(event.pk), "event", event.pk, event.capacity)
    create_counter(session, Inventory.concession_key(event.pk), "concession", event.pk,
                   concession_quota(event.capacity, event.concession_cap_pct))
    seats.copy_to_show(event, session)  # a show on a reserved venue gets its own seats
    record(action, actor, session=session, target=event, event_id=event.pk, before=before, after=snapshot(event))


def create_event(actor, fields):
    """Create a show as a draft, with its total and concession counters, in one transaction."""
    f = _check(fields)
    event = Event(id=ObjectId(), status="draft", created_by=getattr(actor, "pk", None))
    _apply(event, f)
    db.run_in_transaction(insert_event, actor, event)
    return event


def _largest_tier_quota(event):
    return max((t.quota for t in TicketType.objects(event=event)), default=0)


def update_event(actor, event, fields):
    """Change a show; its capacity and concession share never go below what is already sold."""
    if event.status not in EDITABLE_STATUSES:
        raise Conflict(_("A finished or cancelled show cannot be changed."))
    f = _check(fields, starts_changed=fields.starts_at != event.starts_at)
    if f.capacity < _largest_tier_quota(event):
        raise ServiceError(_("A price tier has a larger quota than this capacity: lower the tier first."), "capacity")
    before = snapshot(event)
    venue_changed = f.venue.pk != event.venue.pk
    _apply(event, f)
    changes = {k: v for k, v in event.to_mongo().items() if k not in ("_id", "status", "created_at", "created_by")}

    def write(session):
        result = Event._get_collection().update_one(
            {"_id": event.pk, "status": {"$in": list(EDITABLE_STATUSES)}}, {"$set": changes}, session=session)
        if result.matched_count == 0:
            raise Conflict(_("A finished or cancelled show cannot be changed."))
        if venue_changed:
            seats.copy_to_show(event, session)
        resize_counter(session, Inventory.event_key(event.pk), event.capacity, "capacity")
        resize_counter(session, Inventory.concession_key(event.pk),
                       concession_quota(event.capacity, event.concession_cap_pct), "concession_cap_pct")
        record("event.update", actor, session=session, target=event, event_id=event.pk, before=before,
               after=snapshot(event))

    db.run_in_transaction(write)
    return event


def duplicate_event(actor, event, *, starts_at, ends_at, doors_at=None):
    """The same show on another date: a new draft with copies of its tiers (nothing sold)."""
    fields = EventFields(**{name: getattr(event, name) for name in EventFields.__dataclass_fields__})
    fields.starts_at, fields.ends_at, fields.doors_at = starts_at, ends_at, doors_at
    fields.sales_start = fields.sales_end = None  # the old window belongs to the old date
    f = _check(fields)
    copy = Event(id=ObjectId(), status="draft", created_by=getattr(actor, "pk", None))
    _apply(copy, f)
    tiers = [TicketType(id=ObjectId(), event=copy, name=t.name, price_cents=t.price_cents, quota=t.quota,
                        max_per_order=t.max_per_order, is_concession=t.is_concession, active=t.active, sort=t.sort,
                        zone=t.zone)
             for t in TicketType.objects(event=event).order_by("sort")]

    def write(session):
        insert_event(session, actor, copy, "event.duplicate", before={"source": str(event.pk)})
        for tier in tiers:
            TicketType._get_collection().insert_one(tier.to_mongo(), session=session)
            create_counter(session, Inventory.tier_key(tier.pk), "tier", copy.pk, tier.quota, tier.pk)

    db.run_in_transaction(write)
    return copy


def get_event(event_id):
    """The show with this id, or NotFound (also for malformed ids)."""
    event = Event.objects(pk=event_id).first() if ObjectId.is_valid(str(event_id or "")) else None
    if event is None:
        raise NotFound(_("Show not found."))
    return event


@dataclass
class Page:
    items: list
    page: int
    pages: int
    total: int


def search_events(*, text=None, status=None, venue=None, starts_from=None, starts_before=None, page=1,
                  per_page=20):
    """Shows matching a title search and filters, soonest first, one page of them."""
    query = {}
    text = (text or "").replace("\x00", "").strip()  # MongoDB refuses a NUL byte in a regex pattern
    if text:
        query["title"] = re.compile(re.escape(text[:100]), re.IGNORECASE)
    if status in EVENT_STATUSES:
        query["status"] = status
    if venue is not None:
        query["venue"] = venue
    if starts_from:
        query["starts_at__gte"] = starts_from
    if starts_before:
        query["starts_at__lt"] = starts_before
    found = Event.objects(**query).order_by("starts_at")
    total = found.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    return Page(list(found.skip((page - 1) * per_page).limit(per_page)), page, pages, total)
