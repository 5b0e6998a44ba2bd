"""Seats a manager holds back leave the show's counters (POS, API, sale refusals) and come back once."""
import uuid

import pytest

from tests.sale_fixtures import cash
from tests.seating.factories import grid, seated_show, tier
from tests.seating.test_seat_sales import sell_seats, status
from tests.views.test_api import token_for
from webapp.models import Inventory, ShowSeat
from webapp.services import ServiceError, inventory, pos, sales, seat_blocks, seats
from webapp.services import tiers as tier_service

FIVE = ["A1", "A2", "A3", "A4", "A5"]


def twenty(**kw):
    """A zone of 20 seats sold by a full-price tier and a concession tier sharing them."""
    return seated_show(seats=grid(rows="AB"), concession=(("Meia", 50_00, "A"),), max_per_order=20, **kw)


def counters(show):
    return {c.key: (c.remaining, c.sold, c.blocked) for c in Inventory.objects(event_id=show.pk)}


def left(show):
    """What the POS shows: {tier name: places left} and the show's places left."""
    sheet = pos.sale_sheet(show.pk)
    return {row["tier"].name: row["remaining"] for row in sheet["tiers"]}, sheet["remaining"]


def sell_count(user, show, n, tier_name="Inteira"):
    return sales.sell(user, event_id=str(show.pk), quantities={str(tier(show, tier_name).pk): n}, payments=[cash()],
                      idempotency_key=str(uuid.uuid4()))


def test_held_back_seats_leave_the_counters_and_a_sale_of_more_is_refused(app, ctx, make_user, seller):
    manager = make_user("manager")
    show = twenty()
    assert left(show) == ({"Inteira": 20, "Meia": 8}, 20)  # Meia: the show's 40 % concession share
    seat_blocks.block(manager, show, FIVE, "house")
    assert left(show) == ({"Inteira": 15, "Meia": 8}, 15)
    c = app.test_client()
    api = c.get(f"/api/v1/events/{show.pk}", headers={"Authorization": f"Bearer {token_for(c, seller)}"}).get_json()
    assert api["remaining"] == 15 and api["sold"] == 0
    with pytest.raises(inventory.SoldOut, match="Só restam 15"):
        sell_count(seller, show, 16)
    assert ShowSeat.objects(event_id=show.pk, status__in=["held", "sold"]).count() == 0  # nothing half-taken
    sell_count(seller, show, 15)
    assert ShowSeat.objects(event_id=show.pk, status="sold").count() == 15
    assert left(show) == ({"Inteira": 0, "Meia": 0}, 0)
    seat_blocks.unblock(manager, show, FIVE)
    assert left(show) == ({"Inteira": 5, "Meia": 5}, 5)
    with pytest.raises(ServiceError, match="A1"):
        seat_blocks.unblock(manager, show, FIVE)  # released twice: refused, nothing given back again
    assert left(show) == ({"Inteira": 5, "Meia": 5}, 5)
    assert Inventory.objects.get(key=Inventory.event_key(show.pk)).blocked == 0
    sell_count(seller, show, 5)
    assert status(show, *FIVE) == ["sold"] * 5


def test_blocking_a_held_or_sold_seat_changes_no_counter(ctx, make_user, seller):
    manager = make_user("manager")
    show = twenty()
    sell_seats(seller, show, ["B1"])
    t = tier(show, "Inteira")
    held = sales.hold_places(seller, event_id=str(show.pk), quantities={str(t.pk): 1}, seat_ids=["B2"])
    before = counters(show)
    for seat in ("B1", "B2"):
        with pytest.raises(seats.SeatTaken, match=f"Fila B · Lugar {seat[1:]}"):
            seat_blocks.block(manager, show, ["A1", "A2", seat], "technical")
        assert counters(show) == before
        assert status(show, "A1", "A2") == ["free", "free"]
    inventory.release(held.pk)
    assert left(show) == ({"Inteira": 19, "Meia": 8}, 19)


def test_seats_the_map_excludes_are_not_counted_and_a_smaller_capacity_keeps_its_slack(ctx, make_user):
    manager = make_user("manager")
    show = seated_show(seats=grid(rows="AB", flags={"B9": ["not_for_sale"], "B10": ["not_for_sale"]}))
    assert left(show) == ({"Inteira": 18}, 18)
    seat_blocks.block(manager, show, FIVE, "house")
    assert left(show) == ({"Inteira": 13}, 13)
    seat_blocks.unblock(manager, show, FIVE)
    small = twenty(capacity=15)  # 15 places on 20 seats: the first 5 held back still leave 15 seats to sell
    seat_blocks.block(manager, small, FIVE, "house")
    assert left(small) == ({"Inteira": 15, "Meia": 6}, 15)
    seat_blocks.block(manager, small, ["A6"], "house")
    assert left(small) == ({"Inteira": 14, "Meia": 6}, 14)


def test_a_tier_added_to_a_zone_with_seats_held_back_counts_them_too(ctx, make_user):
    manager = make_user("manager")
    show = twenty()
    seat_blocks.block(manager, show, FIVE, "house")
    tier_service.create_tier(None, show, tier_service.TierFields(name="Camarote", price_cents=1, quota=0, zone="A"))
    assert left(show)[0]["Camarote"] == 15
    seat_blocks.unblock(manager, show, FIVE)
    assert left(show)[0]["Camarote"] == 20


def test_blocks_racing_sales_leave_every_counter_equal_to_the_free_seats(app, make_user):
    from tests.sales.test_concurrency import _race
    from webapp.services import Conflict, shifts

    with app.test_request_context():
        show = twenty()
        manager = make_user("manager")
        sellers = [make_user("seller") for _ in range(10)]
        for s in sellers:
            shifts.open_shift(s, 0)
    pairs = [["A1", "A2"], ["A9", "A10"], ["B1", "B2"], ["B9", "B10"]]
    jobs = [lambda i=i: sell_count(sellers[i], show, 2) for i in range(10)]
    jobs += [lambda p=p: seat_blocks.block(manager, show, p, "house") for p in pairs]
    results = _race(app, jobs)
    assert all(not isinstance(r, Exception) or isinstance(r, Conflict) for r in results), results
    seat_count = {st: ShowSeat.objects(event_id=show.pk, status=st).count() for st in ("free", "sold", "blocked")}
    assert seat_count["sold"] + seat_count["blocked"] + seat_count["free"] == 20 and seat_count["blocked"]
    assert counters(show)[Inventory.event_key(show.pk)] == (seat_count["free"], seat_count["sold"], seat_count["blocked"])
    assert counters(show)[Inventory.tier_key(tier(show, "Inteira").pk)] == counters(show)[Inventory.event_key(show.pk)]
    assert left(show)[1] == seat_count["free"] and left(show)[0]["Meia"] == min(8, seat_count["free"])


def test_seats_copied_again_after_a_venue_change_give_the_held_back_places_back(ctx, make_user):
    from webapp import db

    manager = make_user("manager")
    show = twenty()
    seat_blocks.block(manager, show, FIVE, "house")
    db.run_in_transaction(lambda session: seats.copy_to_show(show, session))  # what a venue change does
    assert status(show, *FIVE) == ["free"] * 5
    assert left(show) == ({"Inteira": 20, "Meia": 8}, 20)
    assert {blocked for _r, _s, blocked in counters(show).values()} == {0}
