"""Price tiers (ticket types) of a show and their counters.

Rules decided here (see issue 3): the sum of the tiers' quotas may exceed the show's capacity (e.g. Inteira
300 + Meia 120 in a 300-seat room) because the show's own counter caps the total; a single tier's quota
cannot exceed the capacity; concession tickets share a separate counter of concession_cap_pct % of capacity.
"""
from dataclasses import dataclass

from bson import ObjectId
from flask_babel import gettext as _

from .. import db
from ..models import Event, Inventory, TicketType
from ..models.base import utcnow
from . import Conflict, NotFound, ServiceError, inventory, seats
from .audit import record
from .counters import create_counter, delete_counter, resize_counter, sold_in
from .events import EDITABLE_STATUSES

MAX_PRICE_CENTS = 100_000_00  # R$ 100.000,00: anything above is a typo


@dataclass
class TierFields:
    """What an admin types for a tier; price in integer cents, window times aware (UTC)."""

    name: str
    price_cents: int
    quota: int
    max_per_order: int = None
    is_concession: bool = False
    sales_start: object = None
    sales_end: object = None
    zone: str = None  # reserved seating: the zone whose seats the tier sells (its quota = those seats)


def snapshot(tier):
    """The audited view of a tier."""
    return {"name": tier.name, "price_cents": tier.price_cents, "quota": tier.quota,
            "max_per_order": tier.max_per_order, "is_concession": tier.is_concession,
            "sales_start": tier.sales_start, "sales_end": tier.sales_end, "zone": tier.zone}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


class ShowClosed(Conflict):
    """The show is finished or cancelled: its tiers are history."""


def _editable(event):
    if event.status not in EDITABLE_STATUSES:
        raise ShowClosed(_("A finished or cancelled show cannot be changed."))


def _still_editable(session, event):
    """Inside the tier's transaction: a write on the show conditional on its status, so a cancellation (or the
    show finishing) committed after the check above conflicts with it instead of slipping past."""
    result = Event._get_collection().update_one({"_id": event.pk, "status": {"$in": list(EDITABLE_STATUSES)}},
                                                {"$set": {"updated_at": utcnow()}}, session=session)
    if result.matched_count == 0:
        raise ShowClosed(_("A finished or cancelled show cannot be changed."))


def _check(event, f):
    _editable(event)
    f.name = (f.name or "").strip()
    if not f.name:
        raise ServiceError(_("Give the tier a name."), "name")
    if len(f.name) > 60:
        raise ServiceError(_("At most %(n)d characters.", n=60), "name")
    if not _is_int(f.price_cents) or not 0 <= f.price_cents <= MAX_PRICE_CENTS:
        raise ServiceError(_("The price must be from 0 to 100,000.00."), "price")
    if not _is_int(f.quota) or not 0 <= f.quota <= event.capacity:
        raise ServiceError(_("The quota must be from 0 to the show's capacity (%(n)d).", n=event.capacity), "quota")
    if f.max_per_order is not None and (not _is_int(f.max_per_order) or not 1 <= f.max_per_order <= 100):
        raise ServiceError(_("From 1 to 100 tickets per order."), "max_per_order")
    if f.sales_start and f.sales_end and f.sales_end <= f.sales_start:
        raise ServiceError(_("Sales must end after they start."), "sales_end")
    if f.sales_end and f.sales_end > event.ends_at:
        raise ServiceError(_("Sales cannot end after the show."), "sales_end")
    f.is_concession = bool(f.is_concession)
    _check_zone(event, f)
    return f


def _check_zone(event, f):
    """On a seated show every tier sells one zone, its quota the zone's sellable seats; elsewhere no zone."""
    f.zone = (f.zone or "").strip() or None
    if not seats.is_seated(event.pk):
        if f.zone:
            raise ServiceError(_("This show has no seat map: a tier sells no zone."), "zone")
        return
    if f.zone not in seats.zones_of(event.pk):
        raise ServiceError(_("Choose the zone of the seat map this tier sells."), "zone")
    f.quota = min(event.capacity, seats.zone_count(event.pk, f.zone))


def list_tiers(event):
    """The show's tiers in display order."""
    return list(TicketType.objects(event=event).order_by("sort", "created_at"))


def get_tier(event, tier_id):
    """The tier of this show with this id, or NotFound (a tier of another show is not found either)."""
    tier = (TicketType.objects(pk=tier_id, event=event).first()
            if ObjectId.is_valid(str(tier_id or "")) else None)
    if tier is None:
        raise NotFound(_("Price tier not found."))
    return tier


def _apply(tier, f):
    for name in TierFields.__dataclass_fields__:
        setattr(tier, name, getattr(f, name))
    tier.validate()


def create_tier(actor, event, fields):
    """Add a price tier and its counter to a show, in one transaction."""
    f = _check(event, fields)
    tier = TicketType(id=ObjectId(), event=event, sort=TicketType.objects(event=event).count())
    _apply(tier, f)
    db.run_in_transaction(_create_in, actor, event, tier)
    return tier


def _create_in(session, actor, event, tier):
    _still_editable(session, event)
    TicketType._get_collection().insert_one(tier.to_mongo(), session=session)
    create_counter(session, Inventory.tier_key(tier.pk), "tier", event.pk, tier.quota, tier.pk)
    inventory.settle_blocked(session, event.pk)  # a zone's seats held back are not this tier's to sell either
    record("tier.create", actor, session=session, target=tier, event_id=event.pk, after=snapshot(tier))


def update_tier(actor, event, tier, fields):
    """Change a tier (price, quota, window…); the quota never goes below what is already sold."""
    f = _check(event, fields)
    before = snapshot(tier)
    _apply(tier, f)
    db.run_in_transaction(_update_in, actor, event, tier, before)
    return tier


def _update_in(session, actor, event, tier, before):
    changes = {k: v for k, v in tier.to_mongo().items() if k not in ("_id", "event", "sort", "created_at")}
    _still_editable(session, event)
    # Tickets already sold keep the kind they were sold as (with or without a holder's document).
    if tier.is_concession != before["is_concession"] and sold_in(session, Inventory.tier_key(tier.pk)):
        raise Conflict(_("Tickets of this tier were already sold: it cannot become or stop being a concession tier. "
                         "Add another tier instead."), "is_concession")
    TicketType._get_collection().update_one({"_id": tier.pk}, {"$set": changes}, session=session)
    resize_counter(session, Inventory.tier_key(tier.pk), tier.quota, "quota")
    inventory.settle_blocked(session, event.pk)
    record("tier.update", actor, session=session, target=tier, event_id=event.pk, before=before,
           after=snapshot(tier))


def delete_tier(actor, event, tier):
    """Remove a tier that sold nothing; one with sales can have its quota lowered to what was sold."""
    _editable(event)
    try:
        db.run_in_transaction(_delete_in, actor, event, tier)
    except ShowClosed:
        raise
    except Conflict:
        raise Conflict(_("Tickets of this tier were already sold: it cannot be deleted. Lower its quota to what "
                         "was sold to stop its sales.")) from None


def _delete_in(session, actor, event, tier):
    _still_editable(session, event)
    delete_counter(session, Inventory.tier_key(tier.pk))
    TicketType._get_collection().delete_one({"_id": tier.pk}, session=session)
    record("tier.delete", actor, session=session, target=tier, event_id=event.pk, before=snapshot(tier))
