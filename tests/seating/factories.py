"""Seated shows for tests: a map written as the seat-map model stores it, the show's seats copied by the service."""
from bson import ObjectId

from tests.factories import make_event, make_venue, tiers_of
from webapp.models import MapSeat, SeatMap, Zone
from webapp.services import tiers as tier_service


def grid(rows="ABCDE", per_row=10, zone="A", section="Plateia", aisle_after=None, flags=None):
    """Seats of rows × per_row, rank centre and front first; an aisle (2 units) after seat `aisle_after`."""
    seats = []
    for r, row in enumerate(rows):
        for n in range(1, per_row + 1):
            x = n + (1 if aisle_after and n > aisle_after else 0)
            rank = r * 100 + int(abs(n - (per_row + 1) / 2) * 2)
            seats.append(MapSeat(sid=f"{row}{n}", section=section, row=row, number=str(n), x=x, y=r, zone=zone,
                                 rank=rank, flags=(flags or {}).get(f"{row}{n}", [])))
    return seats


def seated_show(name=None, seats=None, zones=(("A", "Plateia A"),), tiers=(("Inteira", 100_00, "A"),),
                concession=(), **event):
    """A reserved venue with a map, a show on sale with its seats, and tiers per zone ((name, price, zone))."""
    seats = seats if seats is not None else grid()
    sellable = sum("not_for_sale" not in s.flags for s in seats)
    venue = make_venue(name or f"Teatro {ObjectId()}", capacity=sellable, kind="reserved")
    SeatMap(venue=venue, zones=[Zone(code=c, name=n, colour="#336699") for c, n in zones], seats=seats).save()
    show = make_event(venue, tiers=(), **event)
    for (tier_name, price, zone), is_concession in [(t, False) for t in tiers] + [(t, True) for t in concession]:
        tier_service.create_tier(None, show, tier_service.TierFields(name=tier_name, price_cents=price, quota=0,
                                                                     zone=zone, is_concession=is_concession))
    return show


def tier(show, name):
    return next(t for t in tiers_of(show) if t.name == name)


def held_by_another_window(make_user, show, tier_name, sid):
    """Another seller, with a shift of their own, holds seat `sid` (as a ticket of `tier_name`) at their window."""
    from webapp.services import sales, shifts

    other = make_user("seller")
    shifts.open_shift(other, 0)
    return sales.hold_places(other, event_id=str(show.pk), quantities={str(tier(show, tier_name).pk): 1},
                             seat_ids=[sid])
