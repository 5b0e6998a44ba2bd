"""The demo's seated rooms: a numbered theatre and a cabaret of tables, each with a show on sale by zone."""
from collections import Counter

from webapp import db
from webapp.models import Event, SeatMap, TicketType, Venue
from webapp.services.demo import seed_catalog


def test_the_demo_seats_a_theatre_and_a_cabaret_with_shows_on_sale(ctx):
    seed_catalog()
    theatre = SeatMap.objects.get(venue=Venue.objects.get(name="Teatro Imperial"))
    assert len(theatre.seats) == 600 and len({s.section for s in theatre.seats}) == 3
    assert len({s.row for s in theatre.seats}) == 20 and "I" not in {s.row for s in theatre.seats}
    flags = Counter(f for s in theatre.seats for f in s.flags)
    assert flags["wheelchair"] == 2 and flags["companion"] == 2
    cabaret = SeatMap.objects.get(venue=Venue.objects.get(name="Cabaré do Cassino"))
    tables = Counter(s.table for s in cabaret.seats)
    assert len(tables) == 18 and set(tables.values()) == {4}
    for venue, seats in ((theatre.venue, 600), (cabaret.venue, 72)):
        assert venue.kind == "reserved" and venue.capacity == seats
        event = Event.objects.get(venue=venue, status="on_sale")
        assert db.database()["show_seats"].count_documents({"event_id": event.pk, "status": "free"}) == seats
        zones = {z.code for z in SeatMap.objects.get(venue=venue).zones}
        assert {t.zone for t in TicketType.objects(event=event)} == zones
    assert seed_catalog() == []  # idempotent
