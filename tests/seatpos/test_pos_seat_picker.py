"""The POS seat picker through the real app: a click takes the seat with a ticket of its zone, a seat another window
has is refused with why, best available proposes seats, typed quantities are completed with seats, the sale sells
exactly the seats picked, and the live map sends only what changed."""
import re
from datetime import timedelta

import pytest
from bson import ObjectId
from werkzeug.datastructures import MultiDict

from tests.sales.test_pos_views import open_shift
from tests.seating.factories import held_by_another_window, seated_show, tier
from tests.seatpos.factories import house
from webapp.models import Hold, Order, ShowSeat, Ticket, User
from webapp.models.base import utcnow

HX = {"HX-Request": "true"}


@pytest.fixture
def theatre(client, logged_in):
    """A seller at the counter (shift open) and a seated show: zone A rows A-C, zone B rows D-E, 10 seats a row."""
    logged_in("seller", comp_allowance=2)
    open_shift(client)
    return seated_show(seats=house(),
                       zones=(("A", "Plateia A"), ("B", "Plateia B")),
                       tiers=(("Inteira A", 100_00, "A"), ("Inteira B", 60_00, "B")), concession=(("Meia A", 50_00, "A"),))


def _form(body):
    """The sale form's fields as the browser would post them (hidden seats, quantities, hold, key)."""
    fields = [(name, value) for name, value in re.findall(r'<input type="hidden" name="(seat|key|hold_id)" value="([^"]*)"', body)]
    fields += re.findall(r'name="(qty-[0-9a-f]{24})"[^>]*?value="(\d+)"', body, re.S)
    return fields


def _click(client, show, body, sid):
    return client.post(f"/sell/{show.pk}/seat", data=MultiDict(_form(body) + [("sid", sid)]), headers=HX)


def _status(show, sid):
    return ShowSeat.objects.get(event_id=show.pk, sid=sid).status


def test_the_map_is_drawn_in_the_sale_form_with_a_legend_pt_and_en(client, theatre):
    body = client.get(f"/sell/{theatre.pk}").get_data(as_text=True)
    assert 'id="seat-picker"' in body and 'id="seat-A5"' in body and "Plateia A (A)" in body
    assert "Melhores disponíveis" in body and "Escolha lugares no mapa" in body
    client.post("/language", data={"locale": "en"})
    body = client.get(f"/sell/{theatre.pk}").get_data(as_text=True)
    assert 'id="seat-picker"' in body and "Best available" in body and "Pick seats on the map" in body


def test_general_admission_has_no_seat_picker(client, theatre, show):
    body = client.get(f"/sell/{show.pk}").get_data(as_text=True)
    assert 'id="seat-picker"' not in body and 'qty-' in body


def test_a_click_holds_the_seat_with_a_ticket_of_its_zone_and_a_second_click_gives_it_back(client, theatre):
    body = client.get(f"/sell/{theatre.pk}").get_data(as_text=True)
    answer = _click(client, theatre, body, "B5")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and _status(theatre, "B5") == "held"
    assert '<input type="hidden" name="seat" value="B5">' in body
    assert re.search(rf'name="qty-{tier(theatre, "Inteira A").pk}"[^>]*value="1"', body, re.S)
    assert re.search(r'id="seat-B5" class="seat st-mine', body)
    body = _click(client, theatre, body, "D2").get_data(as_text=True)
    assert _status(theatre, "D2") == "held" and Hold.objects(status="held").count() == 1
    assert sorted(Hold.objects.get(status="held").seats) == ["B5", "D2"]
    body = _click(client, theatre, body, "B5").get_data(as_text=True)
    assert _status(theatre, "B5") == "free" and _status(theatre, "D2") == "held"
    assert re.search(rf'name="qty-{tier(theatre, "Inteira A").pk}"[^>]*value="0"', body, re.S)


def test_a_seat_another_window_has_is_refused_with_why(client, theatre, make_user, ctx):
    held_by_another_window(make_user, theatre, "Inteira A", "C3")
    body = client.get(f"/sell/{theatre.pk}").get_data(as_text=True)
    answer = _click(client, theatre, body, "C3")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 409 and 'id="seat-message"' in text
    assert "Fila C · Lugar 3 está reservado por outro guichê" in text
    assert re.search(r'id="seat-C3" class="seat st-held', text)  # the map is drawn as it is now
    assert '<input type="hidden" name="seat"' not in text


def test_best_available_proposes_adjacent_seats_the_seller_can_change(client, theatre):
    body = client.get(f"/sell/{theatre.pk}").get_data(as_text=True)
    answer = client.post(f"/sell/{theatre.pk}/best", headers=HX,
                         data=MultiDict(_form(body) + [("best_quantity", "3"), ("best_zone", "B")]))
    body = answer.get_data(as_text=True)
    picked = re.findall(r'name="seat" value="([^"]+)"', body)
    assert answer.status_code == 200 and len(picked) == 3 and {p[0] for p in picked} == {"D"}
    assert all(_status(theatre, sid) == "held" for sid in picked)
    body = _click(client, theatre, body, picked[0]).get_data(as_text=True)  # the seller changes the pick
    assert len(re.findall(r'name="seat" value="', body)) == 2 and _status(theatre, picked[0]) == "free"
    bad = client.post(f"/sell/{theatre.pk}/best", headers=HX, data=MultiDict(_form(body) + [("best_quantity", "abc")]))
    assert bad.status_code == 409 and "1 a 20" in bad.get_data(as_text=True)


def test_typed_quantities_are_completed_with_the_best_seats_and_the_sale_sells_exactly_them(client, theatre):
    inteira = tier(theatre, "Inteira A")
    body = client.get(f"/sell/{theatre.pk}").get_data(as_text=True)
    key = re.search(r'name="key" value="([^"]+)"', body).group(1)
    preview = client.post(f"/sell/{theatre.pk}/preview", headers=HX,
                          data={"key": key, f"qty-{inteira.pk}": "2"}).get_data(as_text=True)
    picked = re.findall(r'name="seat" value="([^"]+)"', preview)
    hold_id = re.search(r'name="hold_id" value="([0-9a-f]{24})"', preview).group(1)
    assert len(picked) == 2 and 'hx-swap-oob="true"' in preview
    answer = client.post(f"/sell/{theatre.pk}", headers=HX, data=MultiDict([("key", key), (f"qty-{inteira.pk}", "2"), ("hold_id", hold_id),
                                                 ("cash_tendered", "200,00")] + [("seat", sid) for sid in picked]))
    assert answer.status_code == 204, answer.get_data(as_text=True)
    order = Order.objects.get()
    assert sorted(t.seat.sid for t in Ticket.objects(order_id=order.pk)) == sorted(picked)
    assert all(_status(theatre, sid) == "sold" for sid in picked)


def test_the_live_map_sends_only_the_seats_changed(client, theatre, ctx):
    ShowSeat.objects(event_id=theatre.pk).update(changed_at=utcnow() - timedelta(minutes=1))  # copied a while ago
    body = client.get(f"/sell/{theatre.pk}").get_data(as_text=True)
    since = re.search(r'data-live-since="([^"]+)"', body).group(1)
    quiet = client.get(f"/sell/{theatre.pk}/seats/changes", query_string={"since": since}).get_json()
    assert quiet["count"] == 0 and quiet["markup"] == "" and quiet["now"]
    _click(client, theatre, body, "A1")
    changed = client.get(f"/sell/{theatre.pk}/seats/changes", query_string={"since": since}).get_json()
    assert changed["count"] == 1 and 'id="seat-A1"' in changed["markup"] and "st-held" in changed["markup"]
    hold = Hold.objects.get(status="held")
    mine = client.get(f"/sell/{theatre.pk}/seats/changes", query_string={"since": since, "hold": str(hold.pk)}).get_json()
    assert "st-mine" in mine["markup"]
    assert client.get(f"/sell/{ObjectId()}/seats/changes").status_code == 404
    assert client.get(f"/sell/{theatre.pk}/seats/changes", query_string={"since": "yesterday"}).get_json()["count"] == 50



def test_a_change_is_drawn_with_a_look_the_page_has(client, theatre, ctx):
    ShowSeat.objects(event_id=theatre.pk).update(changed_at=utcnow() - timedelta(minutes=1))
    body = client.get(f"/sell/{theatre.pk}").get_data(as_text=True)
    since = re.search(r'data-live-since="([^"]+)"', body).group(1)
    ShowSeat.objects(event_id=theatre.pk, sid="D1").update(status="sold", changed_at=utcnow())  # the zone's first
    changed = client.get(f"/sell/{theatre.pk}/seats/changes", query_string={"since": since}).get_json()
    look = re.search(r'href="#([^"]+)"', changed["markup"]).group(1)
    assert look.endswith("-sold") and f'id="{look}"' in body

@pytest.mark.parametrize("payment", [
    [("cash_tendered", "250,00")], [("card_auth", "AUTH77")], [("pix_reference", "PIX-77")],
    [("comp", "1"), ("comp_reason", "Convidado da casa")],
    [("card_auth", "AUTH12"), ("card_amount", "50,00"), ("pix_reference", "PIX-12")]])
def test_picked_seats_are_sold_with_every_payment_method(client, theatre, payment):
    body = client.get(f"/sell/{theatre.pk}").get_data(as_text=True)
    body = _click(client, theatre, body, "D3").get_data(as_text=True)
    answer = client.post(f"/sell/{theatre.pk}", headers=HX, data=MultiDict(_form(body) + payment))
    assert answer.status_code == 204, answer.get_data(as_text=True)
    ticket = Ticket.objects.get()
    assert ticket.seat.sid == "D3" and ticket.tier_name == "Inteira B" and _status(theatre, "D3") == "sold"


def test_a_voided_seated_order_still_renders_and_its_seat_is_free_again(client, theatre, ctx):
    from webapp.services import refunds
    body = client.get(f"/sell/{theatre.pk}").get_data(as_text=True)
    body = _click(client, theatre, body, "A2").get_data(as_text=True)
    assert client.post(f"/sell/{theatre.pk}", headers=HX,
                       data=MultiDict(_form(body) + [("cash_tendered", "100,00")])).status_code == 204
    order = Order.objects.get()
    refunds.void_tickets(User.objects.get(pk=order.seller_id), order)  # the seller voids at once
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    tickets = page[page.index('id="order-tickets"'):]
    assert "Plateia · Fila A · Lugar 2" in tickets, tickets[:1500]
    assert "anulado" in tickets  # voided at the counter
    assert _status(theatre, "A2") == "free"
