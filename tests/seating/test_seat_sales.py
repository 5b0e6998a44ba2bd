"""Seats as inventory: copied to the show, held, sold, expired and given back — one seat at a time, exactly once."""
import uuid
from datetime import timedelta

import pytest

from tests.sale_fixtures import cash
from tests.seating.factories import grid, seated_show, tier
from webapp.models import Hold, Inventory, ShowSeat, Ticket, TicketType
from webapp.models.base import utcnow
from webapp.services import ServiceError, inventory, sales, seats


def status(show, *sids):
    found = {s.sid: s.status for s in ShowSeat.objects(event_id=show.pk, sid__in=sids)}
    return [found[sid] for sid in sids]


def sell_seats(user, show, sids, tier_name="Inteira", **kw):
    t = tier(show, tier_name)
    return sales.sell(user, event_id=str(show.pk), quantities={str(t.pk): len(sids)}, payments=[cash()],
                      idempotency_key=str(uuid.uuid4()), seat_ids=list(sids), **kw)


def test_a_show_on_a_reserved_venue_gets_its_seats_and_zone_quotas(ctx):
    blocked = {"E10": ["not_for_sale"]}
    show = seated_show(seats=grid(zone="A", flags=blocked) + grid(rows="FG", zone="B"),
                       zones=(("A", "Plateia A"), ("B", "Plateia B")),
                       tiers=(("Inteira A", 100_00, "A"), ("Inteira B", 60_00, "B")), concession=(("Meia A", 50_00, "A"),))
    assert ShowSeat.objects(event_id=show.pk).count() == 70
    assert status(show, "E10", "A1") == ["blocked", "free"]
    quotas = {t.name: t.quota for t in TicketType.objects(event=show)}
    assert quotas == {"Inteira A": 49, "Inteira B": 20, "Meia A": 49}  # a concession tier shares its zone's seats
    assert Inventory.objects.get(key=Inventory.tier_key(tier(show, "Inteira B").pk)).remaining == 20


def test_a_tier_of_a_seated_show_must_sell_a_zone_of_its_map(ctx):
    show = seated_show()
    from webapp.services import tiers as tier_service
    with pytest.raises(ServiceError) as err:
        tier_service.create_tier(None, show, tier_service.TierFields(name="Sem zona", price_cents=1, quota=1))
    assert err.value.field == "zone"


def test_a_sale_with_seats_puts_each_ticket_on_its_seat(ctx, seller):
    show = seated_show()
    order = sell_seats(seller, show, ["C5", "C6"])
    tickets = Ticket.objects(order_id=order.pk)
    assert sorted(t.seat.sid for t in tickets) == ["C5", "C6"]
    assert {t.seat.label for t in tickets} == {"C5", "C6"} and {t.seat.row for t in tickets} == {"C"}
    sold = {s.sid: s for s in ShowSeat.objects(event_id=show.pk, status="sold")}
    assert set(sold) == {"C5", "C6"}
    assert {sold[t.seat.sid].ticket_id for t in tickets} == {t.pk for t in tickets}
    assert Inventory.objects.get(key=Inventory.event_key(show.pk)).sold == 2


def test_a_sale_by_count_on_a_seated_show_gets_the_best_seats_together(ctx, seller):
    show = seated_show()
    t = tier(show, "Inteira")
    order = sales.sell(seller, event_id=str(show.pk), quantities={str(t.pk): 4}, payments=[cash()],
                       idempotency_key=str(uuid.uuid4()))
    assert sorted(t.seat.sid for t in Ticket.objects(order_id=order.pk)) == ["A4", "A5", "A6", "A7"]


def test_a_seat_sold_is_refused_with_the_reason_and_nothing_stays_held(ctx, seller, make_user):
    show = seated_show()
    sell_seats(seller, show, ["B3"])
    with pytest.raises(seats.SeatTaken) as err:
        sell_seats(seller, show, ["B2", "B3"])
    assert "Plateia · Fila B · Lugar 3" in str(err.value) and err.value.status == 409
    assert status(show, "B2", "B3") == ["free", "sold"]
    assert Hold.objects.count() == 0 or all(h.status == "sold" for h in Hold.objects)
    assert Inventory.objects.get(key=Inventory.event_key(show.pk)).sold == 1


def test_unknown_seats_and_seats_of_the_wrong_zone_are_refused(ctx, seller):
    show = seated_show(seats=grid(zone="A") + grid(rows="F", zone="B"), zones=(("A", "A"), ("B", "B")),
                       tiers=(("Inteira", 100_00, "A"), ("Fundo", 50_00, "B")))
    with pytest.raises(ServiceError) as err:
        sell_seats(seller, show, ["Z99"])
    assert err.value.status == 404 and "Z99" in str(err.value)
    with pytest.raises(ServiceError) as err:
        sell_seats(seller, show, ["F1"])  # Inteira sells zone A, F1 is in B
    assert err.value.field == "seats"
    with pytest.raises(ServiceError):
        sell_seats(seller, show, [12])
    assert ShowSeat.objects(event_id=show.pk, status__ne="free").count() == 0


def test_an_expired_hold_gives_its_seats_back_once(ctx, seller):
    show = seated_show()
    t = tier(show, "Inteira")
    hold = sales.hold_places(seller, event_id=str(show.pk), quantities={str(t.pk): 2}, seat_ids=["D1", "D2"])
    assert status(show, "D1", "D2") == ["held", "held"]
    assert inventory.sweep(now=utcnow()) == 0  # not expired yet
    assert inventory.sweep(now=utcnow() + timedelta(hours=1)) == 1
    assert status(show, "D1", "D2") == ["free", "free"]
    assert inventory.sweep(now=utcnow() + timedelta(hours=1)) == 0
    assert not inventory.release(hold.pk)
    assert Inventory.objects.get(key=Inventory.tier_key(t.pk)).remaining == 50


def test_a_released_hold_frees_its_seats_and_a_late_sale_on_it_sells_nothing(ctx, seller):
    show = seated_show()
    t = tier(show, "Inteira")
    hold = sales.hold_places(seller, event_id=str(show.pk), quantities={str(t.pk): 1}, seat_ids=["A1"])
    assert inventory.release(hold.pk, seller)
    assert status(show, "A1") == ["free"]
    with pytest.raises(ServiceError):
        sales.sell(seller, event_id=str(show.pk), quantities={str(t.pk): 1}, payments=[cash()],
                   idempotency_key=str(uuid.uuid4()), hold_id=str(hold.pk))
    assert status(show, "A1") == ["free"] and Ticket.objects.count() == 0


def test_a_sale_against_a_hold_of_seats_sells_those_seats(ctx, seller):
    show = seated_show()
    t = tier(show, "Inteira")
    hold = sales.hold_places(seller, event_id=str(show.pk), quantities={str(t.pk): 2}, seat_ids=["E4", "E5"])
    order = sales.sell(seller, event_id=str(show.pk), quantities={str(t.pk): 2}, payments=[cash()],
                       idempotency_key=str(uuid.uuid4()), hold_id=str(hold.pk))
    assert sorted(t.seat.sid for t in Ticket.objects(order_id=order.pk)) == ["E4", "E5"]
    assert status(show, "E4", "E5") == ["sold", "sold"]


def test_the_seat_view_marks_my_holds_and_a_refresh_sends_only_what_changed(ctx, seller):
    show = seated_show()
    t = tier(show, "Inteira")
    before = utcnow()
    hold = sales.hold_places(seller, event_id=str(show.pk), quantities={str(t.pk): 2}, seat_ids=["C3", "C4"])
    everything = seats.seat_view(show.pk, hold_ids=[hold.pk])
    assert len(everything) == 50 and {s["sid"] for s in everything if s["mine"]} == {"C3", "C4"}
    changed = seats.seat_view(show.pk, since=before)
    assert {s["sid"]: s["status"] for s in changed} == {"C3": "held", "C4": "held"}
    assert not any(s["mine"] for s in changed)  # another seller's view: held by another window


def test_the_door_names_the_seat_of_a_seated_ticket(ctx, seller, make_user):
    from webapp.services import door

    show = seated_show(days_ahead=0)
    order = sell_seats(seller, show, ["C5"])
    ticket = Ticket.objects.get(order_id=order.pk)
    result = door.admit(ticket.code, str(show.pk), "Porta 1", make_user("door"))
    assert result.admitted and result.message == "Inteira · Plateia · Fila C · Lugar 5"
