"""Printing tickets in a real Chromium: loading, switching 80 mm / A4 and reloading record nothing; the print
button records one print (the next ones are audited reprints); an order with no valid ticket offers no print."""
from playwright.sync_api import expect

from tests.conftest import sign_in_page
from tests.factories import make_event
from tests.sale_fixtures import card, sell_now
from webapp.models import AuditEntry, Order
from webapp.services import refunds, shifts


def _sale(app, make_user, count=2):
    seller = make_user("seller", username="carla")
    event = make_event(title="Noite de Samba", tiers=(("Inteira", 100_00, 50),))
    with app.test_request_context():
        shifts.open_shift(seller, 0)
        return seller, sell_now(seller, event, {0: count}, [card()])


def _sign_in(page):
    # The print dialog is counted on the page instead of opened (polled with expect: the CSP allows no eval).
    page.add_init_script("window.print = function () { var d = document.documentElement.dataset;"
                         " d.printed = (+d.printed || 0) + 1; };")
    sign_in_page(page, "carla")


def _printed(number):
    return Order.objects.get(number=number).print_count, AuditEntry.objects(action="order.reprint").count()


def test_only_the_print_button_records_a_print(page, secure_app, make_user):
    _seller, order = _sale(secure_app, make_user)
    _sign_in(page)
    page.goto(f"/orders/{order.number}/print")
    page.wait_for_load_state("networkidle")  # any request the page would send on arrival has been sent
    expect(page.locator(".ticket")).to_have_count(2)
    page.get_by_role("link", name="Folha A4").click()
    page.wait_for_url("**format=a4")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Térmica 80 mm").click()
    page.wait_for_url("**format=thermal")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert _printed(order.number) == (0, 0)  # three loads, nothing recorded
    expect(page.locator("html")).not_to_have_attribute("data-printed", "1")  # and no dialog opened by itself

    expect(page.locator("#print-now")).to_be_focused()
    page.get_by_role("button", name="Registrar impressão e imprimir").click()
    expect(page.locator("html")).to_have_attribute("data-printed", "1")
    assert _printed(order.number) == (1, 0)  # the first print is no reprint
    page.keyboard.press("Enter")  # again from the keyboard: one reprint, audited once
    expect(page.locator("html")).to_have_attribute("data-printed", "2")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert _printed(order.number) == (2, 1)


def test_an_order_with_no_valid_ticket_offers_no_print(page, secure_app, make_user):
    seller, order = _sale(secure_app, make_user)
    with secure_app.test_request_context():
        refunds.void_tickets(seller, order)
    _sign_in(page)
    page.goto(f"/orders/{order.number}/print")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Este pedido não tem ingressos válidos para imprimir.")).to_be_visible()
    expect(page.locator("#print-now")).to_have_count(0)
    expect(page.locator(".ticket")).to_have_count(0)
    assert _printed(order.number) == (0, 0)


def test_recording_a_print_of_a_voided_order_is_refused(client, logged_in, sell, seller):
    order = sell(seller, {0: 1})
    refunds.void_tickets(seller, order)
    logged_in("seller")
    response = client.post(f"/orders/{order.number}/printed", headers={"Accept": "application/json"})
    assert response.status_code == 409 and "não tem ingressos válidos" in response.get_json()["error"]
    page = client.post(f"/orders/{order.number}/printed", data={"format": "a4"})
    assert page.status_code == 409 and "não tem ingressos válidos" in page.get_data(as_text=True)
    assert Order.objects.get(pk=order.pk).print_count == 0
