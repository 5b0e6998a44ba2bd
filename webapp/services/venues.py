"""Venues: the casino's show rooms."""
from bson import ObjectId
from flask_babel import gettext as _
from mongoengine import NotUniqueError

from ..models import Venue
from ..models.venue import VENUE_KINDS
from ..timezones import DEFAULT_TZ, is_valid_zone
from . import NotFound, ServiceError
from .audit import record

MAX_CAPACITY = 100_000


def _snapshot(venue):
    return {"name": venue.name, "capacity": venue.capacity, "kind": venue.kind, "timezone": venue.timezone}


def _check(name, capacity, kind, timezone):
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the venue a name."), "name")
    if len(name) > 120:
        raise ServiceError(_("At most %(n)d characters.", n=120), "name")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= MAX_CAPACITY:
        raise ServiceError(_("The capacity must be a whole number from 1 to %(max)d.", max=MAX_CAPACITY), "capacity")
    if kind not in VENUE_KINDS:
        raise ServiceError(_("Choose a valid kind of venue."), "kind")
    if not timezone or len(timezone) > 64 or not is_valid_zone(timezone):
        raise ServiceError(_("Unknown time zone."), "timezone")
    return name


def _save(actor, venue, action, before=None):
    try:
        venue.save()
    except NotUniqueError:
        raise ServiceError(_("A venue with this name already exists."), "name") from None
    record(action, actor, target=venue, before=before, after=_snapshot(venue))
    return venue


def _check_seated_capacity(venue, capacity, kind):
    """A seated venue holds the seats of its map for sale: its capacity is that count, not a typed number."""
    from .seatmaps import map_of, sellable_count

    seat_map = map_of(venue) if kind == "reserved" else None
    if seat_map is not None and seat_map.seats and capacity != sellable_count(seat_map):
        raise ServiceError(_("A seated venue's capacity is its seats for sale on the seat map: %(n)d.",
                             n=sellable_count(seat_map)), "capacity")


def list_venues():
    """Every venue, by name."""
    return list(Venue.objects.order_by("name"))


def get_venue(venue_id):
    """The venue with this id, or NotFound (also for malformed ids)."""
    venue = Venue.objects(pk=venue_id).first() if ObjectId.is_valid(str(venue_id or "")) else None
    if venue is None:
        raise NotFound(_("Venue not found."))
    return venue


def create_venue(actor, *, name, capacity, kind="general", timezone=DEFAULT_TZ):
    """Create a venue."""
    name = _check(name, capacity, kind, timezone)
    return _save(actor, Venue(name=name, capacity=capacity, kind=kind, timezone=timezone), "venue.create")


def update_venue(actor, venue, *, name, capacity, kind, timezone):
    """Change a venue; shows already created keep their own capacity (lowered only through the show)."""
    name = _check(name, capacity, kind, timezone)
    _check_seated_capacity(venue, capacity, kind)
    before = _snapshot(venue)
    venue.name, venue.capacity, venue.kind, venue.timezone = name, capacity, kind, timezone
    return _save(actor, venue, "venue.update", before)
