"""Test data written straight to the database, in the same shape the services write it."""
from datetime import timedelta

from webapp.models import Event, Inventory, TicketType, Venue
from webapp.models.base import utcnow


def make_venue(name="Teatro do Cassino", capacity=300, **extra):
    return Venue(name=name, capacity=capacity, **extra).save()


def make_event(venue=None, *, title="Noite de Samba", status="on_sale", capacity=None, days_ahead=7,
               tiers=(("Inteira", 10000, 100),), concession_tiers=(), **extra):
    """A show with its tiers and inventory counters. tiers: (name, price_cents, quota) tuples."""
    venue = venue or Venue.objects(name="Teatro do Cassino").first() or make_venue()
    starts = utcnow().replace(microsecond=0) + timedelta(days=days_ahead)
    event = Event(title=title, venue=venue, starts_at=starts, ends_at=starts + timedelta(hours=2),
                  doors_at=starts - timedelta(minutes=30), status=status,
                  capacity=capacity or venue.capacity, **extra).save()
    Inventory(key=Inventory.event_key(event.pk), kind="event", event_id=event.pk, quota=event.capacity,
              remaining=event.capacity).save()
    cap = event.capacity * event.concession_cap_pct // 100
    Inventory(key=Inventory.concession_key(event.pk), kind="concession", event_id=event.pk, quota=cap,
              remaining=cap).save()
    specs = [(t, False) for t in tiers] + [(t, True) for t in concession_tiers]
    for sort, ((name, price, quota), concession) in enumerate(specs):
        tier = TicketType(event=event, name=name, price_cents=price, quota=quota, is_concession=concession,
                          sort=sort).save()
        Inventory(key=Inventory.tier_key(tier.pk), kind="tier", event_id=event.pk, ticket_type_id=tier.pk,
                  quota=quota, remaining=quota).save()
    return event


def tiers_of(event):
    return list(TicketType.objects(event=event).order_by("sort"))
