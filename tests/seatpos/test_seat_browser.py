"""A real Chromium from the counter to the door on a seated show: seats picked by mouse and by keyboard (arrow keys,
Space), a seat another window took refused with why, the sale, the printed tickets with their seats, the door."""
import re

from playwright.sync_api import expect

from tests.conftest import open_shift_page, sign_in_page
from tests.seating.factories import seated_show, tier
from tests.seatpos.factories import house
from webapp.models import Order, ShowSeat, Ticket
from webapp.models.base import utcnow

MINE = re.compile(r"\bst-mine\b")


def _status(show, sid):
    return ShowSeat.objects.get(event_id=show.pk, sid=sid).status


def test_pick_seats_by_mouse_and_keyboard_sell_print_and_scan(page, make_user, app):
    make_user("seller", username="carla")
    make_user("door", username="rita")
    show = seated_show(title="Ópera no Cassino", seats=house(),
                       zones=(("A", "Plateia A"), ("B", "Plateia B")),
                       tiers=(("Inteira A", 100_00, "A"), ("Inteira B", 60_00, "B")))
    inteira = tier(show, "Inteira A")
    page.set_default_timeout(15_000)  # two cores shared by several test runs
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script("window.print = function () { document.documentElement.dataset.printed = '1'; };")
    sign_in_page(page, "carla")
    open_shift_page(page)
    page.keyboard.press("Alt+1")
    expect(page.locator("#seat-picker")).to_be_visible()
    page.wait_for_load_state("networkidle")  # the show's page settled, as a seller's first look lets it

    page.keyboard.press("F3")  # the map takes the keyboard: its first seat (the best, A5)
    expect(page.locator("#seat-A5")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#seat-B5")).to_be_focused()
    page.keyboard.press("Space")  # by keyboard
    expect(page.locator("#seat-B5")).to_have_class(MINE)
    expect(page.locator("#seat-picked")).to_contain_text("Plateia · Fila B · Lugar 5")
    expect(page.locator(f"#qty-{inteira.pk}")).to_have_value("1")
    expect(page.locator("#sale-hold")).to_contain_text("Reservado para você:")
    expect(page.locator("#seat-B5")).to_be_focused()  # the keyboard stays on the map after the answer
    page.locator("#seat-B6").click()  # by mouse
    expect(page.locator("#seat-B6")).to_have_class(MINE)
    expect(page.locator(f"#qty-{inteira.pk}")).to_have_value("2")
    expect(page.locator("#seat-B6")).to_be_focused()
    assert _status(show, "B5") == _status(show, "B6") == "held"

    # Another window sells B7 meanwhile: the live map shows it, and asking for it is refused with why.
    other = ShowSeat.objects.get(event_id=show.pk, sid="B7")
    other.modify(status="sold", changed_at=utcnow())
    expect(page.locator("#seat-B7")).to_have_class(re.compile(r"\bst-sold\b"), timeout=8_000)
    page.keyboard.press("ArrowRight")
    expect(page.locator("#seat-B7")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#seat-message")).to_contain_text("Plateia · Fila B · Lugar 7 acabou de ser vendido por outro guichê")
    expect(page.locator(f"#qty-{inteira.pk}")).to_have_value("2")

    page.keyboard.press("F4")
    page.keyboard.type("200,00")
    expect(page.locator("#sale-total")).to_have_text("R$\xa0200,00")
    page.keyboard.press("F9")
    page.wait_for_url("**/orders/*?sold=1")
    order = Order.objects.get()
    assert sorted(t.seat.label for t in Ticket.objects(order_id=order.pk)) == ["B5", "B6"]
    expect(page.locator("#order-tickets")).to_contain_text("Plateia · Fila B · Lugar 5")
    page.keyboard.press("Enter")
    page.wait_for_url("**/print")
    expect(page.locator(".ticket .seat")).to_have_text(["Plateia · Fila B · Lugar 5", "Plateia · Fila B · Lugar 6"])
    expect(page.locator("html")).to_have_attribute("data-printed", "1")

    code = Ticket.objects(order_id=order.pk, seat__sid="B6").first().code
    page.context.clear_cookies()
    sign_in_page(page, "rita")
    page.goto("/door/")
    page.get_by_label("Ópera no Cassino").check()
    page.get_by_label("Porta", exact=True).fill("Porta A")
    page.get_by_role("button", name="Começar a validar").click()
    box = page.get_by_label("Código do ingresso")
    box.press_sequentially(code)
    box.press("Enter")
    expect(page.locator("#door-result")).to_have_attribute("data-outcome", "admitted")
    expect(page.locator("#door-seat")).to_have_text("Plateia · Fila B · Lugar 6")
    assert float(page.locator("#door-seat").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 32
    # The refused seat's answer is a 409 (a conflict, said on the page), which the browser logs; nothing else.
    assert [e for e in errors if "409" not in e] == [] and len(errors) == 1, errors
