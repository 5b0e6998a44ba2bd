"""32 sellers grab overlapping seats at once: each seat is sold at most once and every refusal says why."""
import re
import uuid

from tests.sales.test_concurrency import _race
from tests.sale_fixtures import cash
from tests.seating.factories import grid, seated_show, tier
from webapp.models import Hold, Inventory, ShowSeat, Ticket
from webapp.services import sales, seats, shifts

REASON = re.compile(r"^Lugares indisponíveis: ((Plateia · Fila [A-Z] · Lugar \d+) (acabou de ser vendido|está reservado) por outro guichê(; )?)+\.$")


def test_32_sellers_grabbing_overlapping_seats_sell_each_seat_at_most_once(app, make_user):
    with app.test_request_context():
        show = seated_show(seats=grid(rows="A", per_row=20))
        inteira = tier(show, "Inteira")
        sellers = [make_user("seller") for _ in range(32)]
        for s in sellers:
            shifts.open_shift(s, 0)

    def grab(i):
        wanted = [f"A{n}" for n in range(1 + i % 18, 4 + i % 18)]  # 3 side by side, overlapping the neighbours'
        return wanted, sales.sell(sellers[i], event_id=str(show.pk), quantities={str(inteira.pk): 3},
                                  payments=[cash()], idempotency_key=str(uuid.uuid4()), seat_ids=wanted)

    results = _race(app, [lambda i=i: grab(i) for i in range(32)])
    sold = [r for r in results if isinstance(r, tuple)]
    refused = [r for r in results if isinstance(r, seats.SeatTaken)]
    assert len(sold) + len(refused) == 32, [r for r in results if not isinstance(r, (tuple, seats.SeatTaken))]
    assert sold and refused
    for exc in refused:  # each refusal names the seats and why, as the seller reads it
        assert REASON.match(str(exc)), str(exc)
    tickets = list(Ticket.objects(event_id=show.pk))
    by_seat = {}
    for ticket in tickets:
        by_seat.setdefault(ticket.seat.sid, []).append(ticket)
    assert all(len(v) == 1 for v in by_seat.values())  # never two tickets on one seat
    for wanted, order in sold:  # every sale got exactly the seats it asked for
        assert sorted(t.seat.sid for t in tickets if t.order_id == order.pk) == sorted(wanted)
    seat_rows = {s.sid: s for s in ShowSeat.objects(event_id=show.pk)}
    assert {sid for sid, s in seat_rows.items() if s.status == "sold"} == set(by_seat)
    assert all(seat_rows[sid].ticket_id == v[0].pk for sid, v in by_seat.items())
    assert ShowSeat.objects(event_id=show.pk, status="held").count() == 0  # refusals left nothing taken
    assert Hold.objects(status__in=["taking", "held", "releasing"]).count() == 0
    assert Inventory.objects.get(key=Inventory.event_key(show.pk)).sold == len(tickets) == 3 * len(sold)
