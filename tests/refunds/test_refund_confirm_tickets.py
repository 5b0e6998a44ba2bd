"""The refund's confirmation step lists the tickets (and their seats) that are about to be refunded."""
import re

import pytest

from tests.seatpos.test_seat_surfaces import seated  # noqa: F401 (fixture)
from webapp.models import Ticket

HX = {"HX-Request": "true"}


def _listed(body):
    block = re.search(r'<ul id="refund-confirm-tickets"[^>]*>(.*?)</ul>', body, re.S)
    assert block, body
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S)


@pytest.mark.parametrize("headers", [HX, {}])  # the HTMX fragment and the page of its own (no JavaScript)
def test_the_confirmation_names_each_ticket_refunded_with_its_seat(client, logged_in, seated, headers):  # noqa: F811
    _show, order, _general = seated
    logged_in("manager")
    by_seat = {t.seat.sid: t for t in Ticket.objects(order_id=order.pk)}
    step1 = client.post(f"/orders/{order.number}/refund", headers=headers,
                        data={"reason": "Um não pode ir", "key": "refund-list-0001", "ticket": by_seat["C6"].code})
    body = step1.get_data(as_text=True)
    assert step1.status_code == 200 and 'id="refund-confirm"' in body
    listed = _listed(body)
    assert len(listed) == 1 and "Plateia · Fila C · Lugar 6" in listed[0] and "Inteira A" in listed[0]
    assert by_seat["C6"].code[:8] in listed[0] and "Lugar 5" not in body.split('id="refund-confirm"')[1]


def test_the_whole_order_lists_every_ticket_in_seat_order(client, logged_in, seated):  # noqa: F811
    _show, order, general = seated
    logged_in("manager")
    body = client.post(f"/orders/{order.number}/refund", headers=HX,
                       data={"reason": "Desistiram", "key": "refund-list-0002"}).get_data(as_text=True)
    listed = _listed(body)
    assert len(listed) == 2 and "Lugar 5" in listed[0] and "Lugar 6" in listed[1]
    plain = _listed(client.post(f"/orders/{general.number}/refund", headers=HX,
                                data={"reason": "Desistiu", "key": "refund-list-0003"}).get_data(as_text=True))
    assert len(plain) == 1 and 'class="seat"' not in plain[0]  # general admission: the ticket type and price only
