"""Demo data for `make run`: two rooms, two seated rooms (a theatre and a cabaret) and upcoming shows on sale."""
from datetime import datetime, time, timedelta

from ..models import Event, Venue
from ..timezones import to_local, to_utc
from ..models.base import utcnow
from . import demo_seating
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

# Seated rooms: name, map, show title, days ahead, tiers (name, price cents, zone, concession). A seated tier's
# quota is its zone's seats (the tier service sets it).
SEATED = [
    ("Teatro Imperial", demo_seating.theatre, "Gala de Ópera", 6,
     [("Plateia Premium", 22000, "A", False), ("Plateia", 15000, "B", False),
      ("Plateia — meia-entrada", 7500, "B", True), ("Plateia Lateral", 9000, "C", False)]),
    ("Cabaré do Cassino", demo_seating.cabaret, "Cabaré: Noite de Cabaret", 9,
     [("Mesa da frente (por lugar)", 18000, "F", False), ("Mesa (por lugar)", 12000, "M", False)]),
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
    return created + _seed_seated()


def _seed_seated():
    created = []
    for name, build, title, days, tiers in SEATED:
        venue = Venue.objects(name=name).first() or venue_service.create_venue(None, name=name, capacity=1,
                                                                               kind="reserved")
        demo_seating.give_map(venue, build())
        if Event.objects(title=title, venue=venue).first():
            continue
        starts = _at_nine_pm(days, venue.timezone)
        event = event_service.create_event(None, event_service.EventFields(  # copies the map's seats to the show
            title=title, venue=venue, starts_at=starts, ends_at=starts + timedelta(hours=2),
            doors_at=starts - timedelta(minutes=45), description="Show de demonstração com lugares marcados."))
        for tier, price, zone, concession in tiers:
            tier_service.create_tier(None, event, tier_service.TierFields(
                name=tier, price_cents=price, quota=1, zone=zone, is_concession=concession))
        lifecycle.set_status(None, event, "on_sale")
        created.append(event)
    return created
