"""Voids, refunds, exchanges, failed payments and show cancellation give each exact seat back, once."""
import pytest

from tests.sale_fixtures import cash
from tests.seating.factories import grid, seated_show, tier
from tests.seating.test_seat_sales import sell_seats, status
from webapp.models import Inventory, ShowSeat, Ticket
from webapp.services import exchanges, lifecycle, orders, outbox, refunds, seats


def codes_by_seat(order):
    return {t.seat.sid: t.code for t in Ticket.objects(order_id=order.pk)}


def free_count(show):
    return ShowSeat.objects(event_id=show.pk, status="free").count()


def test_a_void_gives_back_exactly_the_voided_tickets_seats_once(ctx, seller):
    show = seated_show()
    order = sell_seats(seller, show, ["B1", "B2", "B3"])
    by_seat = codes_by_seat(order)
    refunds.void_tickets(seller, order, [by_seat["B2"]], idempotency_key="void-seat-0001")
    assert status(show, "B1", "B2", "B3") == ["sold", "free", "sold"]
    refunds.void_tickets(seller, order, [by_seat["B2"]], idempotency_key="void-seat-0001")  # the same request again
    assert free_count(show) == 48
    other = sell_seats(seller, show, ["B2"])  # the seat is for sale again, and its new ticket owns it
    refunds.void_tickets(seller, order.reload(), idempotency_key="void-seat-0002")  # the rest of the first order
    assert status(show, "B1", "B2", "B3") == ["free", "sold", "free"]
    assert ShowSeat.objects.get(event_id=show.pk, sid="B2").order_id == other.pk


def test_a_refund_gives_the_seats_back_and_a_repeat_gives_nothing_twice(ctx, seller, manager):
    show = seated_show()
    order = sell_seats(seller, show, ["C1", "C2"])
    refunds.refund_tickets(manager, order, method="cash", reason="Cliente desistiu", idempotency_key="refund-seat-01")
    refunds.refund_tickets(manager, order, method="cash", reason="Cliente desistiu", idempotency_key="refund-seat-01")
    assert status(show, "C1", "C2") == ["free", "free"] and free_count(show) == 50
    assert Inventory.objects.get(key=Inventory.event_key(show.pk)).sold == 0


def test_a_failed_payment_gives_the_seats_back_once(ctx, seller):
    show = seated_show()
    order = sell_seats(seller, show, ["A9", "A10"])
    orders.release_order(order.pk, "test")
    orders.release_order(order.pk, "test")
    assert status(show, "A9", "A10") == ["free", "free"] and free_count(show) == 50


def test_an_exchange_moves_a_ticket_to_another_seat_of_the_same_show(ctx, seller, manager):
    show = seated_show()
    order = sell_seats(seller, show, ["E1", "E2"])
    t = tier(show, "Inteira")
    new = exchanges.exchange_tickets(manager, order, [codes_by_seat(order)["E1"]], event_id=show.pk, tier_id=t.pk,
                                     reason="Quer ficar mais perto", idempotency_key="exchange-seat-01",
                                     seat_ids=["A5"])
    assert status(show, "E1", "E2", "A5") == ["free", "sold", "sold"]
    [moved] = Ticket.objects(order_id=new.pk)
    assert moved.seat.sid == "A5" and ShowSeat.objects.get(event_id=show.pk, sid="A5").ticket_id == moved.pk
    assert new.total_cents == 100_00 and new.credit_cents == 100_00  # same price: no difference
    assert Inventory.objects.get(key=Inventory.event_key(show.pk)).sold == 2


def test_an_exchange_to_another_show_pays_the_difference_and_a_taken_seat_changes_nothing(ctx, seller, manager):
    show = seated_show()
    dearer = seated_show(title="Estreia", tiers=(("Estreia", 150_00, "A"),))
    order = sell_seats(seller, show, ["D3"])
    sell_seats(seller, dearer, ["A1"], tier_name="Estreia")
    target = dict(event_id=dearer.pk, tier_id=tier(dearer, "Estreia").pk, reason="Estreia")
    with pytest.raises(seats.SeatTaken, match="Fila A · Lugar 1"):
        exchanges.exchange_tickets(manager, order, list(codes_by_seat(order).values()),
                                   idempotency_key="exchange-seat-02", seat_ids=["A1"], payments=[cash()], **target)
    assert status(show, "D3") == ["sold"] and status(dearer, "A1", "A2") == ["sold", "free"]
    new = exchanges.exchange_tickets(manager, order, list(codes_by_seat(order).values()),
                                     idempotency_key="exchange-seat-03", seat_ids=["A2"], payments=[cash()], **target)
    assert new.total_cents == 150_00 and sum(p.amount_cents for p in new.payments) == 50_00
    assert status(show, "D3") == ["free"] and status(dearer, "A2") == ["sold"]


def test_cancelling_a_show_gives_every_seat_back_once(app, seller, make_user, run_jobs):
    admin = make_user("admin")
    with app.test_request_context():
        show = seated_show(seats=grid(rows="AB"))
        for pair in (["A1", "A2"], ["B5"], ["B6", "B7"]):
            sell_seats(seller, show, pair)
        lifecycle.set_status(admin, show, "cancelled")
        outbox.relay_once()
    run_jobs()
    assert ShowSeat.objects(event_id=show.pk, status="sold").count() == 0
    assert ShowSeat.objects(event_id=show.pk, status="free").count() == 20
    assert Ticket.objects(event_id=show.pk, status__ne="void").count() == 0


def test_a_manager_moves_a_ticket_to_a_chosen_seat_from_the_order_page(app, client, logged_in, seller):
    from webapp.services import shifts

    with app.test_request_context():
        show = seated_show()
        order = sell_seats(seller, show, ["D1"])
    manager = logged_in("manager")
    with app.test_request_context():
        shifts.open_shift(manager, 100_00)
    data = {"ticket": Ticket.objects.get(order_id=order.pk).code, "target": f"{show.pk}/{tier(show, 'Inteira').pk}",
            "reason": "Trocar de fila", "key": "exchange-seat-view-1", "seats": "B7"}
    bad = client.post(f"/orders/{order.number}/exchange", data={**data, "seats": ["B7", "B8"]},  # two for one ticket
                      headers={"HX-Request": "true"})
    assert bad.status_code in (400, 409) and status(show, "D1", "B7") == ["sold", "free"]
    response = client.post(f"/orders/{order.number}/exchange", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text
    assert status(show, "D1", "B7") == ["free", "sold"]
