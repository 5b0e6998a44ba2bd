"""Best available: adjacent in one row, best ranked first, no lone seat left where avoidable, else split."""
import pytest

from tests.seating.factories import grid, seated_show
from webapp.models import ShowSeat
from webapp.services import Conflict, ServiceError, seats


def taken(show, *sids):
    ShowSeat.objects(event_id=show.pk, sid__in=sids).update(set__status="sold")


def best(show, n, zone="A"):
    pick = seats.best_available(show.pk, zone, n)
    return sorted((s["sid"] for s in pick["seats"]), key=lambda sid: (sid[0], int(sid[1:]))), pick


def test_four_best_seats_are_together_in_the_front_centre(ctx):
    show = seated_show()
    sids, pick = best(show, 4)
    assert sids == ["A4", "A5", "A6", "A7"] and pick["adjacent"] and pick["warning"] is None


def test_the_pick_never_leaves_a_lone_seat_when_another_row_avoids_it(ctx):
    show = seated_show(seats=grid(rows="AB", per_row=6))
    taken(show, "A1", "A6", "B1", "B2", "B3")  # A2–A5 free (better row), B4–B6 free
    sids, _pick = best(show, 3)
    assert sids == ["B4", "B5", "B6"]  # any 3 of A2–A5 would strand one seat
    sids, _pick = best(show, 2)
    assert sids in (["A2", "A3"], ["A4", "A5"])  # the centre pair A3–A4 would strand A2 and A5


def test_a_lone_seat_is_left_only_when_nothing_else_fits(ctx):
    show = seated_show(seats=grid(rows="A", per_row=4))
    sids, pick = best(show, 3)
    assert len(sids) == 3 and pick["adjacent"]


def test_seats_across_an_aisle_are_not_together_and_a_split_warns(ctx):
    show = seated_show(seats=grid(rows="AB", per_row=6, aisle_after=3))
    taken(show, "B1", "B2", "B3", "B4", "B5", "B6")
    sids, pick = best(show, 4)
    assert not pick["adjacent"] and len(sids) == 4
    assert pick["warning"] == "Não há 4 lugares juntos na zona A: os lugares estão separados."
    halves = ({"A1", "A2", "A3"}, {"A4", "A5", "A6"})
    assert any(set(sids) > h for h in halves)  # three together on one side of the aisle, one on the other


def test_wheelchair_places_are_never_picked_and_too_few_seats_are_refused(ctx):
    flags = {f"A{n}": ["wheelchair"] for n in range(1, 11)}
    show = seated_show(seats=grid(rows="AB", per_row=10, flags=flags))
    sids, _pick = best(show, 4)
    assert all(s.startswith("B") for s in sids)
    taken(show, *[f"B{n}" for n in range(1, 9)])
    with pytest.raises(Conflict):
        seats.best_available(show.pk, "A", 3)
    with pytest.raises(ServiceError):
        seats.best_available(show.pk, "A", 0)
    with pytest.raises(ServiceError) as err:
        seats.best_available(show.pk, "Z", 1)
    assert err.value.status == 404


def test_the_quick_read_of_the_best_rows_picks_what_reading_every_seat_picks(ctx):
    import random

    from webapp.services import best_seats

    show = seated_show(seats=grid(rows="ABCDEFGHIJKL", per_row=20))
    everyone = ShowSeat.objects(event_id=show.pk).distinct("sid")
    rng = random.Random(7)
    for share in (0.2, 0.5, 0.8, 0.95):
        taken(show, *rng.sample(everyone, int(len(everyone) * share) // 4))
        for n in (1, 2, 4, 6):
            whole = best_seats.pick(list(ShowSeat._get_collection().find({"event_id": show.pk})), n)
            quick = seats.best_available(show.pk, "A", n) if whole else None
            if whole is None:
                continue
            assert [s["sid"] for s in quick["seats"]] == [s["sid"] for s in whole.seats], (share, n)
