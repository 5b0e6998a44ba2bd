"""The order page's voids, refunds and exchanges on a seated show: the tickets to tick name their seats."""
import re

import pytest

from tests.seatpos.test_seat_surfaces import EN, PT, seated  # noqa: F401 (fixture)


@pytest.mark.parametrize("locale, seat", [("pt_BR", PT), ("en", EN)])
def test_the_tickets_to_void_or_refund_name_their_seats(client, logged_in, seated, locale, seat):  # noqa: F811
    show, order, general = seated
    logged_in("manager", locale=locale)
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    picks = re.findall(r'<label class="ticket-pick">(.*?)</label>', page, re.S)
    assert len(picks) == 2 and seat in picks[0] and seat.replace("5", "6") in picks[1], picks
    plain = client.get(f"/orders/{general.number}").get_data(as_text=True)
    assert 'class="ticket-pick"' in plain and 'class="seat"' not in plain  # general admission: as before
