"""Every surface staff see a seat on, with and without seats, in pt-BR and English: the order page, tickets (thermal
and A4), the e-mail and its PDF, the door result, "who is in C5?", the seats report and the dashboard's live map."""
import re
import uuid
import zlib

import pytest

from tests.door.test_door_views import start
from tests.sale_fixtures import cash
from tests.seating.factories import seated_show, tier
from tests.seatpos.factories import house
from webapp.models import Event, Ticket
from webapp.services import mail, sales
from webapp.services.ticket_print import printable_tickets, tickets_pdf

HX = {"HX-Request": "true"}
PT, EN = "Plateia · Fila C · Lugar 5", "Plateia · Row C · Seat 5"


@pytest.fixture
def seated(ctx, seller, sell):
    """A seated show with a sale of C5 and C6 (with the customer's e-mail), and a general-admission sale."""
    show = seated_show(title="Ópera no Cassino", seats=house(),
                       zones=(("A", "Plateia A"), ("B", "Plateia B")),
                       tiers=(("Inteira A", 100_00, "A"), ("Inteira B", 60_00, "B")))
    order = sales.sell(seller, event_id=str(show.pk), quantities={str(tier(show, "Inteira A").pk): 2},
                       payments=[cash()], idempotency_key=str(uuid.uuid4()), seat_ids=["C5", "C6"],
                       customer={"name": "Ana Lima", "email": "ana@example.com"})
    general = sell(seller, {0: 1})
    return show, order, general


@pytest.mark.parametrize("locale, seat", [("pt_BR", PT), ("en", EN)])
def test_the_order_page_and_both_ticket_formats_show_section_row_and_seat(client, logged_in, seated, locale, seat):
    show, order, general = seated
    logged_in("seller", locale=locale)
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert seat in page and 'id="ticket-seat-C5"' in page and 'id="ticket-seat-C6"' in page
    for fmt in ("thermal", "a4"):
        tickets = client.get(f"/orders/{order.number}/print?format={fmt}").get_data(as_text=True)
        assert tickets.count('<p class="seat">') == 2 and seat in tickets
    plain = client.get(f"/orders/{general.number}").get_data(as_text=True)
    assert 'class="seat"' not in plain and "ticket-seat-" not in plain  # general admission looks as before
    assert 'class="seat"' not in client.get(f"/orders/{general.number}/print").get_data(as_text=True)


def test_the_e_mail_and_its_pdf_carry_the_seats(app, seated):
    show, order, general = seated
    tickets = list(Ticket.objects(order_id=order.pk))
    with app.test_request_context():
        message = mail.build_confirmation(order, tickets)
        items = printable_tickets(order, tickets)
        plain_items = printable_tickets(general, list(Ticket.objects(order_id=general.pk)))
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert PT in text and PT in html and "Plateia · Fila C · Lugar 6" in text
    assert [i["seat_label"] for i in items] == ["C5", "C6"] and plain_items[0]["seat"] == ""
    pdf = tickets_pdf(items)
    streams = [zlib.decompress(s) for s in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
               if s[:2] in (b"x\x9c", b"x\xda")]
    assert any(b"Fila C" in s and b"Lugar 5" in s for s in streams)


@pytest.mark.parametrize("locale, seat, word", [("pt_BR", PT, "ADMITIDO"), ("en", EN, "ADMITTED")])
def test_the_door_result_shows_the_seat_large(client, logged_in, seated, locale, seat, word):
    show, order, general = seated
    logged_in("door", locale=locale)
    start(client, show)
    code = Ticket.objects(order_id=order.pk, seat__sid="C5").first().code
    html = client.post(f"/door/{show.pk}/scan", data={"code": code}, headers=HX).get_data(as_text=True)
    assert word in html and f'<p class="door-seat" id="door-seat">{seat}</p>' in html
    again = client.post(f"/door/{show.pk}/scan", data={"code": code}, headers=HX).get_data(as_text=True)
    assert 'data-outcome="refused"' in again and seat in again  # used: where its holder went


def test_a_general_admission_ticket_at_the_door_has_no_seat_line(client, logged_in, seated):
    show, order, general = seated
    logged_in("door")
    general_show = Event.objects.get(pk=general.event_id)
    start(client, general_show)
    code = Ticket.objects(order_id=general.pk).first().code
    html = client.post(f"/door/{general_show.pk}/scan", data={"code": code}, headers=HX).get_data(as_text=True)
    assert "ADMITIDO" in html and "door-seat" not in html


def test_who_is_in_a_seat_finds_the_ticket_and_its_order(client, logged_in, seated):
    show, order, general = seated
    logged_in("seller")
    for typed in ("C5", "c5", " C 5 "):
        html = client.get("/orders", query_string={"q": typed}, headers=HX).get_data(as_text=True)
        assert 'id="seat-results"' in html and order.number in html and PT in html and "Ana Lima" in html, typed
    html = client.get("/orders", query_string={"q": "C5", "show": str(show.pk)}, headers=HX).get_data(as_text=True)
    assert order.number in html
    html = client.get("/orders", query_string={"q": "C5", "show": str(general.event_id)}, headers=HX).get_data(as_text=True)
    assert 'id="seat-results"' not in html and "Nenhum pedido encontrado" in html
    assert "0 pedido" not in html  # "nothing found" once, not also as a count of nothing
    assert 'id="seat-results"' not in client.get("/orders", query_string={"q": "C9"}, headers=HX).get_data(as_text=True)
    assert client.get("/orders", query_string={"q": "C5", "show": "nope"}).status_code == 200
    page = client.get("/orders").get_data(as_text=True)
    assert 'id="show"' in page and "Ópera no Cassino" in page
    client.post("/language", data={"locale": "en"})
    html = client.get("/orders", query_string={"q": "c5"}, headers=HX).get_data(as_text=True)
    assert "In seat c5" in html and EN in html


@pytest.mark.parametrize("locale, words", [("pt_BR", ["Ocupação (%)", "Plateia A (A)"]),
                                           ("en", ["Occupancy (%)", "Plateia A (A)"])])
def test_the_seats_report_gives_occupancy_by_zone(client, logged_in, seated, locale, words):
    show, order, general = seated
    logged_in("manager", locale=locale)
    html = client.get("/reports/seats", query_string={"event": str(show.pk)}).get_data(as_text=True)
    assert all(w in html for w in words)
    row = re.search(r"<td[^>]*>Plateia A \(A\)</td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">(\d+)<", row) == ["30", "2", "0", "0", "28", "7"]
    csv = client.get("/reports/seats/export.csv", query_string={"event": str(show.pk)}).get_data(as_text=True)
    assert "Plateia B (B)" in csv
    ga = client.get("/reports/seats", query_string={"event": str(general.event_id)}).get_data(as_text=True)
    assert "numbered seats" in ga or "lugares numerados" in ga
    assert client.get("/reports/seats").status_code == 200


def test_the_dashboard_shows_a_live_map_of_a_seated_show(client, logged_in, seated, ctx):
    show, order, general = seated
    logged_in("manager")
    home = client.get("/").get_data(as_text=True)
    assert 'id="dash-seats"' in home and "Mapa de ocupação" in home and 'id="seat-C5"' in home
    assert re.search(r'id="seat-C5" class="seat st-sold', home) and "data-live-url" in home
    live = client.get("/dashboard/live", headers={**HX, "X-Auto-Refresh": "1"}).get_data(as_text=True)
    assert "dash-seats" not in live  # the polled figures do not redraw the map
    show.venue.update(kind="general")  # no seated show any more: no map
    assert 'id="dash-seats"' not in client.get("/").get_data(as_text=True)
