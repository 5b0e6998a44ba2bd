"""Issue 11, at the counter: choosing quantities holds them for the seller; the sale converts that hold, and
Esc / another show / leaving gives it back. Through the real app on real MongoDB."""
import re
import uuid

from tests.conftest import login_as
from tests.factories import make_event, tiers_of
from tests.sales.test_pos_views import open_shift
from webapp.models import Hold, Inventory, Order


def _at_the_counter(client, logged_in, seats):
    """A seller signed in with an open shift, and a show of `seats` places in one tier: (show, tier)."""
    logged_in("seller")
    open_shift(client)
    event = make_event(title="Pequeno", capacity=seats, tiers=(("Única", 100_00, seats),))
    return event, tiers_of(event)[0]


def _left(tier):
    return Inventory.objects.get(key=Inventory.tier_key(tier.pk)).remaining


def _preview(client, event, form):
    body = client.post(f"/sell/{event.pk}/preview", data=form, headers={"HX-Request": "true"}).get_data(as_text=True)
    found = re.search(r'name="hold_id" value="([0-9a-f]{24})"', body)
    return body, found and found.group(1)


def _form(tier, qty, hold_id=None, **extra):
    form = {"key": extra.pop("key", str(uuid.uuid4())), f"qty-{tier.pk}": str(qty), **extra}
    if hold_id:
        form["hold_id"] = hold_id
    return form


def test_typing_quantities_holds_them_once_and_a_change_replaces_the_hold(client, logged_in, ctx):
    event, tier = _at_the_counter(client, logged_in, seats=10)
    key = str(uuid.uuid4())
    body, first = _preview(client, event, _form(tier, 4, key=key))
    assert first and re.search(r"Reservado para você:\s*<strong class=\"countdown\"[^>]*>(4:5\d|5:00)<", body)
    assert _left(tier) == 6 and Hold.objects(status="held").count() == 1
    _body, same = _preview(client, event, _form(tier, 4, first, key=key, cash_tendered="500,00"))
    assert same == first and _left(tier) == 6  # payment typed, same tickets: the same hold
    _body, other = _preview(client, event, _form(tier, 7, first, key=key))
    assert other and other != first and _left(tier) == 3
    assert [str(h.pk) for h in Hold.objects] == [other]  # the first one was given back, not leaked
    body, none = _preview(client, event, _form(tier, 0, other, key=key))
    assert none is None and _left(tier) == 10 and Hold.objects.count() == 0


def test_more_than_is_left_holds_nothing_and_says_so(client, logged_in, ctx):
    event, tier = _at_the_counter(client, logged_in, seats=3)
    body, hold_id = _preview(client, event, _form(tier, 4))
    assert hold_id is None and "Só restam 3" in body and _left(tier) == 3 and Hold.objects.count() == 0


def test_the_sale_converts_the_hold_of_its_form(client, logged_in, ctx):
    event, tier = _at_the_counter(client, logged_in, seats=5)
    key = str(uuid.uuid4())
    _body, hold_id = _preview(client, event, _form(tier, 5, key=key))
    assert _left(tier) == 0
    sold = client.post(f"/sell/{event.pk}", data=_form(tier, 5, hold_id, key=key, cash_tendered="500,00"))
    assert sold.status_code == 302, sold.get_data(as_text=True)
    order = Order.objects.get()
    assert Hold.objects.get().status == "sold" and str(Hold.objects.get().order_id) == str(order.pk)
    assert order.ticket_count == 5 and _left(tier) == 0


def test_a_refused_payment_keeps_the_places_held(client, logged_in, ctx):
    event, tier = _at_the_counter(client, logged_in, seats=5)
    key = str(uuid.uuid4())
    _body, hold_id = _preview(client, event, _form(tier, 2, key=key))
    refused = client.post(f"/sell/{event.pk}", data=_form(tier, 2, hold_id, key=key, cash_tendered="1,00"))
    assert refused.status_code in (400, 409, 422) and f'value="{hold_id}"' in refused.get_data(as_text=True)
    assert _left(tier) == 3 and Hold.objects.get().status == "held" and Order.objects.count() == 0


def test_the_release_endpoint_gives_the_places_back_only_for_their_seller(client, logged_in, ctx, app, make_user):
    logged_in("seller", username="ana")
    open_shift(client)
    event = make_event(title="Pequeno", capacity=5, tiers=(("Única", 100_00, 5),))
    tier = tiers_of(event)[0]
    _body, hold_id = _preview(client, event, _form(tier, 3))
    assert hold_id and _left(tier) == 2
    other = app.test_client()
    login_as(other, make_user("seller", username="bia"))
    assert other.post("/sell/release-hold", data={"hold_id": hold_id}).status_code == 204
    assert _left(tier) == 2 and Hold.objects.count() == 1  # another seller's hold stays
    assert client.post("/sell/release-hold", data={"hold_id": hold_id}).status_code == 204
    assert _left(tier) == 5 and Hold.objects.count() == 0
    assert client.post("/sell/release-hold", data={"hold_id": "nonsense"}).status_code == 204


def test_at_the_counter_the_places_are_held_with_a_countdown_and_esc_gives_them_back(browser, live_server,
                                                                                      make_user, app):
    from playwright.sync_api import expect

    from webapp.services import shifts
    user = make_user("seller", username="carla")
    with app.test_request_context():
        shifts.open_shift(user, 100_00)
    event = make_event(title="Noite de Samba", capacity=50, tiers=(("Inteira", 100_00, 50),))
    tier = tiers_of(event)[0]
    context = browser.new_context(base_url=live_server.url, locale="pt-BR")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto("/login")
        page.locator("#username").fill("carla")
        page.locator("#password").fill("secret-pass")
        with page.expect_navigation():
            page.locator("#password").press("Enter")
        page.goto(f"/sell?event={event.pk}")
        page.wait_for_load_state()
        page.locator(f"#qty-{tier.pk}").fill("4")
        held = page.locator("#sale-hold")
        expect(held).to_contain_text("Reservado para você:")
        first = held.locator(".countdown").inner_text()
        assert re.fullmatch(r"[45]:\d\d", first)
        expect(held.locator(".countdown")).not_to_have_text(first, timeout=3_000)  # it counts down
        assert _left(tier) == 46
        page.keyboard.press("Escape")
        expect(page.locator("#sale-hold")).to_have_count(0)
        for _attempt in range(50):  # the beacon is on its way (places back, then the hold's record gone: two writes)
            if _left(tier) == 50 and Hold.objects.count() == 0:
                break
            page.wait_for_timeout(100)
        assert _left(tier) == 50 and Hold.objects.count() == 0 and not errors
    finally:
        context.close()
