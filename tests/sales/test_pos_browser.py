"""A real Chromium at the counter: open a shift, sell 2 tickets for cash with change, print them."""
from playwright.sync_api import expect

from tests.factories import make_event
from webapp.models import AuditEntry, Order


def test_seller_sells_two_tickets_for_cash_and_prints_them(page, make_user):
    make_user("seller", username="carla")
    make_event(title="Noite de Samba", tiers=(("Inteira", 100_00, 50),))
    page.add_init_script("window.print = function () { window.__printed = (window.__printed || 0) + 1; };")
    page.goto("/login")
    page.get_by_label("Usuário").fill("carla")
    page.get_by_label("Senha").fill("secret-pass")
    page.get_by_role("button", name="Entrar").click()

    page.goto("/sell")
    page.get_by_label("Fundo de troco inicial").fill("100,00")
    page.get_by_role("button", name="Abrir turno").click()
    expect(page.get_by_text("Turno aberto desde")).to_be_visible()
    page.wait_for_load_state()  # the shortcuts listen once the deferred scripts have run

    page.keyboard.press("Alt+1")  # the first show, by keyboard
    quantity = page.get_by_label("Inteira")
    expect(quantity).to_be_focused()
    quantity.press("ArrowUp")
    quantity.press("ArrowUp")
    page.keyboard.press("F4")
    page.keyboard.type("250,00")
    expect(page.locator("#sale-total")).to_have_text("R$\xa0200,00")
    expect(page.locator("#sale-change")).to_have_text("R$\xa050,00")
    page.keyboard.press("F9")

    page.wait_for_url("**/orders/*?sold=1")
    expect(page.get_by_text("Troco a dar: R$\xa050,00")).to_be_visible()
    expect(page.locator("#print-button")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/print")
    expect(page.locator(".ticket .qr svg")).to_have_count(2)
    assert Order.objects.get().print_count == 0  # showing the tickets records nothing
    expect(page.locator("#print-now")).to_be_focused()
    page.keyboard.press("Enter")
    # The button recorded the print (a POST with the CSRF token) and only then opened the dialog.
    page.wait_for_function("window.__printed === 1")
    order = Order.objects.get()
    assert order.print_count == 1 and AuditEntry.objects(action="order.reprint").count() == 0
    page.keyboard.press("Enter")  # printed again from the keyboard: a reprint, audited once
    page.wait_for_function("window.__printed === 2")
    assert Order.objects.get().print_count == 2
    assert AuditEntry.objects(action="order.reprint", order_number=order.number).count() == 1
