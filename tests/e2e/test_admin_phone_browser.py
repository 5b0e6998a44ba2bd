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
