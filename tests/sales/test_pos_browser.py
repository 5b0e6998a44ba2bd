"""A real Chromium at the counter: open a shift, sell 2 tickets for cash with change, print them."""
from playwright.sync_api import expect

from tests.conftest import open_shift_page, sign_in_page
from tests.factories import make_event
from webapp.models import AuditEntry, Order


def test_seller_sells_two_tickets_for_cash_and_prints_them(page, make_user):
    make_user("seller", username="carla")
    make_event(title="Noite de Samba", tiers=(("Inteira", 100_00, 50),))
    # The print dialog is counted on the page instead of opened (polled with expect: the CSP allows no eval).
    page.add_init_script("window.print = function () { var d = document.documentElement.dataset;"
                         " d.printed = (+d.printed || 0) + 1; };")
    sign_in_page(page, "carla")
    open_shift_page(page)

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
    page.keyboard.press("Enter")  # one key prints: the order page's button is the print action
    page.wait_for_url("**/print")
    expect(page.locator(".ticket .qr svg")).to_have_count(2)
    # It recorded the print (a POST with the CSRF token) and only then opened the dialog.
    expect(page.locator("html")).to_have_attribute("data-printed", "1")
    order = Order.objects.get()
    assert order.print_count == 1 and AuditEntry.objects(action="order.reprint").count() == 0
    page.reload()  # the address lost its print=1: a reload shows the tickets and records nothing
    expect(page.locator(".ticket .qr svg")).to_have_count(2)
    assert Order.objects.get().print_count == 1
    expect(page.locator("#print-now")).to_be_focused()
    page.keyboard.press("Enter")  # printed again from the keyboard: a reprint, audited once
    expect(page.locator("html")).to_have_attribute("data-printed", "1")  # counted afresh since the reload
    assert Order.objects.get().print_count == 2
    assert AuditEntry.objects(action="order.reprint", order_number=order.number).count() == 1
