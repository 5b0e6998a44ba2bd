"""Best available on the demo's rooms: a party of four gets one cabaret table, or four seats side by side."""
from collections import Counter

from webapp.models import Event, Venue
from webapp.services import seats
from webapp.services.demo import seed_catalog


def _show(name):
    return Event.objects.get(venue=Venue.objects.get(name=name), status="on_sale")


def test_best_available_on_the_demo_theatre_and_cabaret(ctx):
    seed_catalog()
    cabaret = _show("Cabaré do Cassino")
    for zone in seats.zones_of(cabaret.pk):
        pick = seats.best_available(cabaret.pk, zone, 4)
        assert pick["adjacent"] and len({s["table"] for s in pick["seats"]}) == 1
    theatre = _show("Teatro Imperial")
    for zone in seats.zones_of(theatre.pk):
        pick = seats.best_available(theatre.pk, zone, 4)
        rows = Counter((s["section"], s["row"]) for s in pick["seats"])
        assert pick["adjacent"] and len(rows) == 1
        xs = sorted(s["x"] for s in pick["seats"])
        assert xs[-1] - xs[0] <= 3 * 1.5  # side by side, no aisle between them
        assert not any("wheelchair" in (s.get("flags") or ()) for s in pick["seats"])
