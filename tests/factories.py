"""Test data built through the services that write it in the app, so a factory cannot drift from them."""
from datetime import timedelta

from bson import ObjectId

from webapp import db
from webapp.models import Event, TicketType, Venue
from webapp.models.base import utcnow
from webapp.services import events as event_service
from webapp.services import tiers as tier_service
from webapp.services import venues as venue_service


def make_venue(name="Teatro do Cassino", capacity=300, **extra):
    return venue_service.create_venue(None, name=name, capacity=capacity, **extra)


def make_event(venue=None, *, title="Noite de Samba", status="on_sale", capacity=None, days_ahead=7,
               tiers=(("Inteira", 10000, 100),), concession_tiers=(), **extra):
    """A show with its tiers and inventory counters. tiers: (name, price_cents, quota) tuples.

    The show, its tiers and their counters are written by the services' own code; only the status and times a
    test needs but an admin could not type (a show in the past, one already finished) are taken as given.
    """
    venue = venue or Venue.objects(name="Teatro do Cassino").first() or make_venue()
    starts = utcnow().replace(microsecond=0) + timedelta(days=days_ahead)
    final = status not in event_service.EDITABLE_STATUSES  # finished / cancelled: tiers are added before
    event = Event(id=ObjectId(), title=title, venue=venue, starts_at=starts, ends_at=starts + timedelta(hours=2),
                  doors_at=starts - timedelta(minutes=30), status="sales_closed" if final else status,
                  capacity=capacity or venue.capacity, **extra)
    event.validate()
    db.run_in_transaction(event_service.insert_event, None, event)
    specs = [(t, False) for t in tiers] + [(t, True) for t in concession_tiers]
    for (name, price, quota), concession in specs:
        tier_service.create_tier(None, event, tier_service.TierFields(name=name, price_cents=price, quota=quota,
                                                                       is_concession=concession))
    if final:
        Event.objects(pk=event.pk).update_one(set__status=status)
        event.reload()
    return event


def tiers_of(event):
    return list(TicketType.objects(event=event).order_by("sort"))


def take_places(event, tier, qty):
    """`qty` places of the tier (and so of the show) taken as a sale takes them, by the inventory's own code."""
    from webapp.services import inventory

    line = {"ticket_type_id": tier.pk, "name": tier.name, "quantity": qty, "is_concession": tier.is_concession}
    db.run_in_transaction(inventory.take_in, event.pk, [line], event.title)
