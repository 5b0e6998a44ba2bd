"""Seats as a manager sees them: the tickets to void, refund or exchange name their seats; the dashboard's map
names no seat "yours"."""
import re

import pytest

from webapp.models import Ticket

from tests.seatpos.test_seat_surfaces import EN, PT, seated  # noqa: F401 (fixture)


@pytest.mark.parametrize("locale, seat", [("pt_BR", PT), ("en", EN)])
def test_the_tickets_to_void_or_refund_name_their_seats(client, logged_in, seated, locale, seat):  # noqa: F811
    show, order, general = seated
    logged_in("manager", locale=locale)
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    picks = re.findall(r'<label class="ticket-pick">(.*?)</label>', page, re.S)
    assert len(picks) == 2 and seat in picks[0] and seat.replace("5", "6") in picks[1], picks
    sids = " ".join(t.seat.sid for t in Ticket.objects(order_id=order.pk).order_by("seat.sid"))
    assert sids not in page  # no seat id to type for the exchange: its seats are chosen by name
    plain = client.get(f"/orders/{general.number}").get_data(as_text=True)
    assert 'class="ticket-pick"' in plain and 'class="seat"' not in plain  # general admission: as before


@pytest.mark.parametrize("locale, yours, held", [("pt_BR", "Selecionado por você", "Reservados em um guichê"),
                                                 ("en", "Selected by you", "Held at a counter")])
def test_the_dashboard_map_names_no_seat_yours(client, logged_in, seated, locale, yours, held):  # noqa: F811
    logged_in("manager", locale=locale)
    home = client.get("/").get_data(as_text=True)
    legend = re.search(r'<figcaption class="seatmap-legend">(.*?)</figcaption>', home, re.S).group(1)
    assert yours not in legend and held in legend
