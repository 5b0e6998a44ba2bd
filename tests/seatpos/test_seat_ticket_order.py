"""An order's seated tickets are listed and printed in seat order (row, then number as a number), not in the
order of the seats' ranks (best available finds the centre first): the seller hands them over left to right."""
import re

from tests.seating.factories import seated_show
from tests.seating.test_seat_sales import sell_seats


def test_the_order_page_and_the_tickets_go_in_seat_order(client, login, seller, ctx):
    login(seller)
    show = seated_show()
    order = sell_seats(seller, show, ["C10", "B3", "C5", "C1"])  # best first: B3 C5 C1 C10
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert re.findall(r'id="ticket-seat-(\w+)"', page) == ["B3", "C1", "C5", "C10"]
    printed = client.get(f"/orders/{order.number}/print").get_data(as_text=True)
    assert re.findall(r'<p class="seat"><strong>Plateia · Fila (\w) · Lugar (\d+)<', printed) == [
        ("B", "3"), ("C", "1"), ("C", "5"), ("C", "10")]
