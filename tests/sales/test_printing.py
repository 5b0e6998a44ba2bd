"""Printing tickets in a real Chromium: loading, switching 80 mm / A4 and reloading record nothing; the print
button records one print (the next ones are audited reprints); an order with no valid ticket offers no print."""
from playwright.sync_api import expect

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
    page.add_init_script("window.print = function () { window.__printed = (window.__printed || 0) + 1; };")
    page.goto("/login")
    page.get_by_label("Usuário").fill("carla")
    page.get_by_label("Senha").fill("secret-pass")
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url("**/")


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
    assert page.evaluate("window.__printed") is None  # and no print dialog opened by itself

    expect(page.locator("#print-now")).to_be_focused()
    page.get_by_role("button", name="Registrar impressão e imprimir").click()
    page.wait_for_function("window.__printed === 1")
    assert _printed(order.number) == (1, 0)  # the first print is no reprint
    page.keyboard.press("Enter")  # again from the keyboard: one reprint, audited once
    page.wait_for_function("window.__printed === 2")
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
