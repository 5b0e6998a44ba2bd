"""Demo data for `make run`: two rooms and a few upcoming shows on sale."""
from datetime import datetime, time, timedelta

from ..models import Event, Venue
from ..timezones import to_local, to_utc
from ..models.base import utcnow
from . import events as event_service
from . import lifecycle
from . import tiers as tier_service
from . import venues as venue_service

VENUES = [("Teatro do Cassino", 420), ("Salão Cristal", 180)]
# title, venue index, days ahead, tiers (name, price cents, quota, concession)
SHOWS = [
    ("Noite de Samba", 0, 5, [("Inteira", 12000, 300, False), ("Meia-entrada", 6000, 168, True),
                              ("VIP", 25000, 60, False)]),
    ("Orquestra de Tango", 0, 12, [("Inteira", 15000, 380, False), ("Meia-entrada", 7500, 168, True)]),
    ("Stand-up: Risadas à Meia-noite", 1, 8, [("Inteira", 8000, 150, False), ("Meia-entrada", 4000, 72, True),
                                              ("Mesa (4 lugares)", 40000, 20, False)]),
    ("Jazz no Cristal", 1, 20, [("Inteira", 9000, 120, False), ("Meia-entrada", 4500, 72, True),
                                ("Camarote", 20000, 20, False), ("Cortesia parceiros", 0, 10, False)]),
]


def _at_nine_pm(days, tz):
    day = to_local(utcnow(), tz).date() + timedelta(days=days)
    return to_utc(datetime.combine(day, time(21, 0)), tz)


def seed_catalog():
    """Create the demo venues and shows that are missing (matched by name/title); returns the shows created."""
    venues = []
    for name, capacity in VENUES:
        venues.append(Venue.objects(name=name).first() or venue_service.create_venue(None, name=name, capacity=capacity))
    created = []
    for title, venue_index, days, tiers in SHOWS:
        venue = venues[venue_index]
        if Event.objects(title=title, venue=venue).first():
            continue
        starts = _at_nine_pm(days, venue.timezone)
        event = event_service.create_event(None, event_service.EventFields(
            title=title, venue=venue, starts_at=starts, ends_at=starts + timedelta(hours=2),
            doors_at=starts - timedelta(minutes=45), description="Show de demonstração."))
        for name, price, quota, concession in tiers:
            tier_service.create_tier(None, event, tier_service.TierFields(name=name, price_cents=price, quota=quota,
                                                                is_concession=concession))
        lifecycle.set_status(None, event, "on_sale")
        created.append(event)
    return created
