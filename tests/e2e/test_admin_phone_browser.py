"""The admin pages on a phone: a table scrolls inside its card and a long filter fits, never the whole page."""
from tests.conftest import sign_in_page
from tests.factories import make_event
from webapp.services import devices

PHONE = {"width": 390, "height": 800}


def test_admin_pages_are_no_wider_than_a_phone(page, app, make_user):
    admin = make_user("admin", username="ana")
    make_user("seller", username="carla")
    make_event(title="Uma Noite Muito Longa de Samba, Choro e Bossa Nova no Grande Teatro do Cassino",
               tiers=(("Inteira", 100_00, 50),), concession_tiers=(("Meia-entrada", 50_00, 10),))
    with app.test_request_context():
        devices.create_device(admin, "Leitor da porta principal", "door")
    sign_in_page(page, "ana")
    page.set_viewport_size(PHONE)
    page.goto("/events")
    show = page.locator("a[href^='/events/']").filter(has_text="Uma Noite").first.get_attribute("href")
    wider = {}
    for url in ("/admin/staff/", "/admin/devices/", "/audit/", show):
        page.goto(url)
        extra = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if extra > 0:
            wider[url] = extra
    assert wider == {}, f"pages wider than the phone (px): {wider}"


def test_an_orders_lines_fit_a_phone_with_their_subtotals(page, app, make_user):
    from tests.sale_fixtures import card, sell_now
    from webapp.services import shifts

    seller = make_user("seller")
    make_user("manager", username="gabi")
    event = make_event(title="Gala", tiers=(("Plateia Premium", 220_00, 50),))
    with app.test_request_context():
        shifts.open_shift(seller, 0)
        order = sell_now(seller, event, {0: 2}, [card()])
    sign_in_page(page, "gabi")
    page.set_viewport_size(PHONE)
    page.goto(f"/orders/{order.number}")
    lines = page.locator("table").first
    assert lines.evaluate("t => t.scrollWidth - t.clientWidth") == 0  # nothing hidden sideways
    assert lines.locator("tbody tr").first.locator("td").last.inner_text() == "R$\xa0440,00"
    assert lines.locator("tbody tr").first.locator("td").last.is_visible()
