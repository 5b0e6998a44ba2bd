"""In Chromium, a sale by each payment method ends on its order page with printing focused (a card, Pix, split or
complimentary sale once ended on an error page that said nothing was saved, though it was)."""
import pytest
from playwright.sync_api import expect

from tests.conftest import open_shift_page, sign_in_page
from tests.factories import make_event
from webapp.models import Order

# How the seller pays at the keyboard, and what the order page then shows.
PAYMENTS = {
    "cash": (["F4", "250,00"], ["Dinheiro", "Troco a dar: R$\xa050,00"]),
    "card": (["F6", "AUTH4321"], ["Cartão", "AUTH4321"]),
    "pix": (["F7", "E2E-PIX-0001"], ["Pix", "E2E-PIX-0001"]),
    "split": (["F6", "AUTH8765", "#card_amount", "150,00", "F7", "E2E-PIX-0002"], ["R$\xa0150,00", "R$\xa050,00"]),
    "comp": (["F8", "Convidado da casa"], ["Cortesia", "Convidado da casa"]),
}


@pytest.mark.parametrize("method", list(PAYMENTS))
def test_a_sale_by_each_method_ends_on_its_order_page(page, make_user, method):
    make_user("seller", username="carla", comp_allowance=4)
    make_event(title="Noite de Samba", tiers=(("Inteira", 100_00, 50),))
    sign_in_page(page, "carla")
    open_shift_page(page)

    page.keyboard.press("Alt+1")
    page.get_by_label("Inteira").fill("2")
    expect(page.locator("#sale-total")).to_have_text("R$\xa0200,00")
    keys, shown = PAYMENTS[method]
    for step in keys:
        if step.startswith("F"):
            page.keyboard.press(step)
        elif step.startswith("#"):
            page.locator(step).focus()
        else:
            page.keyboard.type(step)
    page.keyboard.press("F9")

    page.wait_for_url("**/orders/*?sold=1")
    expect(page.get_by_text("Venda concluída")).to_be_visible()
    for text in shown:
        expect(page.locator("#order")).to_contain_text(text)
    expect(page.locator("#print-button")).to_be_focused()
    order = Order.objects.get()
    assert order.ticket_count == 2 and order.total_cents == 200_00
    assert sorted(p.method for p in order.payments) == (["card", "pix"] if method == "split" else [method])
