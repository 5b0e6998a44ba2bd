"""An admin builds a small seat map in a real browser with the keyboard alone: zone, block, then edits a seat."""
from playwright.sync_api import expect

from tests.conftest import sign_in_page
from tests.factories import make_venue
from webapp.models import SeatMap


def test_an_admin_builds_and_edits_a_map_by_keyboard(page, make_user):
    make_user("admin", username="ana")
    venue = make_venue(name="Teatro Azul", capacity=50)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in_page(page, "ana")
    page.goto(f"/venues/{venue.pk}/seatmap")
    page.wait_for_load_state()

    page.locator("#zone-code").focus()
    page.keyboard.type("A")
    page.keyboard.press("Tab")
    page.keyboard.type("Plateia")
    page.keyboard.press("Enter")
    expect(page.locator("#map-version")).to_contain_text("versão 1")

    page.locator("#block-section").focus()
    page.keyboard.type("Plateia")
    page.locator("#block-rows").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(page.locator("#map-version")).to_contain_text("versão 2")
    expect(page.locator("g.seat")).to_have_count(6)

    first = page.locator("g.seat[tabindex='0']")  # the map's one stop in the tab order
    expect(first).to_have_id("seat-PLA-A-1")
    first.focus()
    page.keyboard.press("ArrowLeft")  # nothing further left: stays
    expect(page.locator("#seat-PLA-A-1")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#seat-PLA-A-2")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#seat-PLA-B-2")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#seat-heading")).to_contain_text("Lugar B2")
    expect(page.locator("#seat-PLA-B-2")).to_be_focused()  # the keyboard stays on the map after the swap
    expect(page.locator("#seat-PLA-B-2")).to_have_attribute("aria-pressed", "true")

    page.get_by_label("Espaço para cadeira de rodas").focus()
    page.keyboard.press("Space")
    page.locator("#seat-number").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2A")
    page.keyboard.press("Enter")
    expect(page.locator("#map-version")).to_contain_text("versão 3")
    expect(page.locator("#seat-PLA-B-2 title")).to_contain_text("B2A · Plateia · Espaço para cadeira de rodas")
    seat = next(s for s in SeatMap.objects.get(venue=venue).seats if s.sid == "PLA-B-2")
    assert seat.flags == ["wheelchair"] and seat.number == "2A"

    page.locator("#seat-PLA-A-3").click()  # and by mouse
    expect(page.locator("#seat-heading")).to_contain_text("Lugar A3")
    assert errors == []
