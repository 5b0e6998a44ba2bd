"""The exchange's new seats are chosen by what staff read on a ticket (section · row · seat), among the free seats
of the ticket type chosen, never typed as the seat map's internal ids."""
import re
import uuid

import pytest

from tests.seating.factories import tier
from tests.seatpos.test_seat_surfaces import seated  # noqa: F401 (fixture)
from webapp.models import Order, Ticket

HX = {"HX-Request": "true"}


def _options(body):
    return dict(re.findall(r'<option value="([^"]+)">([^<]+)</option>', body))


@pytest.mark.parametrize("locale, first", [("pt_BR", "Plateia · Fila A · Lugar 1"),
                                           ("en", "Plateia · Row A · Seat 1")])
def test_the_free_seats_of_the_chosen_ticket_type_are_offered_by_section_row_and_seat(
        client, logged_in, seated, locale, first):  # noqa: F811
    show, order, _general = seated
    logged_in("manager", locale=locale)
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert 'id="exchange-seats"' in page and "seat id" not in page and "id do lugar" not in page
    url = f"/orders/{order.number}/exchange/seats"
    body = client.get(url, query_string={"target": f"{show.pk}/{tier(show, 'Inteira A').pk}"}, headers=HX) \
        .get_data(as_text=True)
    offered = _options(body)
    assert offered["A1"] == first and list(offered.values())[0] == first  # seat order: the front row's first
    assert "C5" not in offered and "C6" not in offered  # sold (this very order's)
    assert not any(sid.startswith(("D", "E")) for sid in offered)  # zone B: another ticket type's
    assert len(offered) == 30 - 2
    assert body.count('id="exchange-seats"') == 1 and 'change from:#exchange-target' in body


def test_a_target_that_is_no_ticket_type_of_that_show_is_refused_in_the_field(client, logged_in, seated):  # noqa: F811
    show, order, _general = seated
    logged_in("manager")
    response = client.get(f"/orders/{order.number}/exchange/seats", query_string={"target": f"{show.pk}/nope"},
                          headers=HX)
    assert response.status_code == 404 and 'id="exchange-seats"' in response.get_data(as_text=True)
    assert "<option" not in response.get_data(as_text=True)


def test_the_seats_chosen_are_the_new_tickets_seats(app, client, logged_in, seated):  # noqa: F811
    show, order, _general = seated
    logged_in("manager")
    codes = [t.code for t in Ticket.objects(order_id=order.pk)]
    data = {"ticket": codes, "target": f"{show.pk}/{tier(show, 'Inteira A').pk}", "reason": "Mais perto do palco",
            "key": str(uuid.uuid4()), "seats": ["A4", "A5"]}
    response = client.post(f"/orders/{order.number}/exchange", data=data, headers=HX)
    assert response.status_code == 200 and "Troca feita: novo pedido" in response.get_data(as_text=True)
    new = Order.objects.get(exchanged_from=order.number)
    assert sorted(t.seat.sid for t in Ticket.objects(order_id=new.pk)) == ["A4", "A5"]


def test_a_general_admission_target_says_there_is_no_seat_to_choose(client, logged_in, seated):  # noqa: F811
    _show, order, general = seated
    logged_in("manager")
    ticket = Ticket.objects.get(order_id=general.pk)
    body = client.get(f"/orders/{order.number}/exchange/seats",
                      query_string={"target": f"{general.event_id}/{ticket.ticket_type_id}"}, headers=HX)
    assert body.status_code == 200 and "não há lugares a escolher" in body.get_data(as_text=True)


def test_the_seats_chosen_before_a_refusal_are_chosen_again(client, logged_in, seated):  # noqa: F811
    show, order, _general = seated
    logged_in("manager")
    target = f"{show.pk}/{tier(show, 'Inteira A').pk}"
    data = {"ticket": [t.code for t in Ticket.objects(order_id=order.pk)], "target": target, "reason": "",
            "key": str(uuid.uuid4()), "seats": ["A4", "A5"]}
    refused = client.post(f"/orders/{order.number}/exchange", data=data, headers=HX).get_data(as_text=True)
    assert 'role="alert"' in refused and Order.objects(exchanged_from=order.number).count() == 0
    field = re.search(r'<div id="exchange-seats"[^>]*>', refused).group(0)
    assert "hx-vals" in field and "A4" in field and "A5" in field  # sent along with the list's first load
    body = client.get(f"/orders/{order.number}/exchange/seats", query_string={"target": target, "chosen": ["A4", "A5"]},
                      headers=HX).get_data(as_text=True)
    assert sorted(re.findall(r'<option value="([^"]+)" selected>', body)) == ["A4", "A5"]
