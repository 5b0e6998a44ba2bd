"""The seat map builder in a real Chromium, by keyboard: pick a seat with the arrows and Space, tick a flag, save;
the keyboard is still where it was (not thrown back to the top of the page) after the builder redraws."""
from playwright.sync_api import expect

from tests.conftest import sign_in_page
from tests.seating.factories import seated_show


def test_saving_a_seat_by_keyboard_keeps_the_focus_on_the_save_button(page, make_user, app):
    make_user("admin", username="ana")
    show = seated_show()
    page.set_default_timeout(15_000)  # two cores shared by several test runs
    sign_in_page(page, "ana")
    page.goto(f"/venues/{show.venue.pk}/seatmap")
    page.locator("#seat-A5").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(page.locator("#seat-heading")).to_contain_text("A6")
    page.get_by_label("Espaço para cadeira de rodas").check()
    page.get_by_role("button", name="Salvar lugar").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#seat-A6 title")).to_contain_text("cadeira de rodas")
    expect(page.get_by_role("button", name="Salvar lugar")).to_be_focused()
