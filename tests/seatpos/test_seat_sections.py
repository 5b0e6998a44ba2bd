"""Seat labels repeat across sections ("A1" in the Plateia and in the Balcão): wherever the counter names a seat to
the seller, it names its section too."""
import pytest
from werkzeug.datastructures import MultiDict

from tests.sales.test_pos_views import open_shift
from tests.seating.factories import grid, seated_show
from tests.seatpos.test_pos_seat_picker import _form

HX = {"HX-Request": "true"}


@pytest.fixture
def two_sections(client, logged_in):
    """A seller at the counter and a show whose Plateia and Balcão both have seats A1-A3 (one zone)."""
    logged_in("seller")
    open_shift(client)
    balcony = grid(rows="A", per_row=3, section="Balcão")
    for seat in balcony:
        seat.sid, seat.y = f"BAL-{seat.sid}", seat.y + 3
    return seated_show(seats=grid(rows="A", per_row=3, section="Plateia") + balcony)


def _pick(client, show, body, sid):
    return client.post(f"/sell/{show.pk}/seat", data=MultiDict(_form(body) + [("sid", sid)]),
                       headers=HX).get_data(as_text=True)


def test_the_seats_picked_at_the_counter_are_named_with_their_section(client, two_sections):
    body = client.get(f"/sell/{two_sections.pk}").get_data(as_text=True)
    body = _pick(client, two_sections, _pick(client, two_sections, body, "A1"), "BAL-A1")
    picked = body.split('id="seat-picked"', 1)[1].split("</p>", 1)[0]
    assert "2 lugares escolhidos" in picked
    assert "Plateia · Fila A · Lugar 1" in picked and "Balcão · Fila A · Lugar 1" in picked


def test_each_seat_of_the_map_is_titled_with_its_section(client, two_sections):
    body = client.get(f"/sell/{two_sections.pk}").get_data(as_text=True)
    plateia = body.split('id="seat-A1"', 1)[1].split("</title>", 1)[0]
    balcony = body.split('id="seat-BAL-A1"', 1)[1].split("</title>", 1)[0]
    assert "A1 · Plateia" in plateia and "A1 · Balcão" in balcony


def test_a_seat_another_window_has_is_named_with_its_section(client, two_sections, make_user, ctx):
    from tests.seating.factories import held_by_another_window
    held_by_another_window(make_user, two_sections, "Inteira", "BAL-A1")
    body = client.get(f"/sell/{two_sections.pk}").get_data(as_text=True)
    answer = client.post(f"/sell/{two_sections.pk}/seat", data=MultiDict(_form(body) + [("sid", "BAL-A1")]),
                         headers=HX)
    message = answer.get_data(as_text=True).split('id="seat-message">', 1)[1].split("</p>", 1)[0]
    assert answer.status_code == 409
    assert message == "Lugares indisponíveis: Balcão · Fila A · Lugar 1 está reservado por outro guichê."
