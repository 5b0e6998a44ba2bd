"""A real Chromium opening and closing a cash shift: where the keyboard lands, and when the seller is asked."""
import pytest
from playwright.sync_api import expect

from tests.conftest import counter_page
from tests.factories import make_event
from webapp.models import Shift


@pytest.fixture
def seller_page(browser, live_server, make_user):
    """seller_page(locale) -> (page, user): a seller signed in, without a shift, on /sell at 1366×768."""
    contexts = []

    def sign_in(locale="pt-BR", username="bia"):
        user = make_user("seller", username=username, locale=locale.replace("-", "_"))
        context, page = counter_page(browser, live_server.url, username, locale)
        contexts.append(context)
        return page, user

    yield sign_in
    for context in contexts:
        context.close()


def test_after_opening_the_shift_the_keyboard_is_on_the_first_show(seller_page):
    make_event(title="Noite de Samba", tiers=(("Inteira", 100_00, 50),))
    page, _user = seller_page()
    page.locator("#opening_float").fill("200,00")
    with page.expect_navigation():
        page.locator("#opening_float").press("Enter")
    expect(page.locator("#shows .show-item").first).to_be_focused()
    page.keyboard.press("Enter")  # the seller goes on from there: the show's form takes the keyboard
    expect(page.locator("#sale-form input.qty").first).to_be_focused()


@pytest.mark.parametrize("locale, wrong, right, refusal, question", [
    ("pt-BR", "12abc", "150,00", "Digite", "Fechar o turno"),
    ("en", "12abc", "150.00", "Type", "Close the shift"),
])
def test_a_wrong_count_is_refused_before_the_seller_is_asked_to_close(seller_page, locale, wrong, right, refusal,
                                                                       question):
    page, user = seller_page(locale)
    page.locator("#opening_float").fill("100")
    with page.expect_navigation():
        page.locator("#opening_float").press("Enter")
    page.goto("/shift")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.locator("#counted_cash").fill(wrong)
    page.locator("#counted_cash").press("Enter")
    expect(page.locator("#shift-close .error")).to_contain_text(refusal)
    expect(page.locator("#counted_cash")).to_be_focused()
    assert dialogs == []  # nothing to confirm yet: the amount was wrong
    assert Shift.objects.get(seller_id=user.pk).status == "open"

    page.locator("#counted_cash").fill(right)
    page.locator("#counted_cash").press("Enter")
    confirm = page.locator("#shift-close button.primary")
    expect(page.locator("#shift-close")).to_contain_text(question)
    expect(page.locator("#shift-close")).to_contain_text(right)  # the amount to be confirmed, as the seller typed it
    expect(confirm).to_be_focused()
    assert Shift.objects.get(seller_id=user.pk).status == "open"  # asked, not closed yet
    with page.expect_navigation():
        page.keyboard.press("Enter")
    shift = Shift.objects.get(seller_id=user.pk)
    assert shift.status == "closed" and shift.counted_cash_cents == 150_00
    assert dialogs == []
