"""A real Chromium at the door (issue 9): an empty Enter stays silent, a code typed in lower case gets in,
a concession admission shows the document to check, the picker starts on the next show."""
import pytest
from playwright.sync_api import expect

from tests.factories import make_event
from webapp.models import Ticket
from webapp.services import door, ticket_codes

from .factories import sell_tickets

# Counts the beeps: every answer plays one oscillator (door.js).
COUNT_BEEPS = """
window.__beeps = 0;
const Real = window.AudioContext;
window.AudioContext = function () {
  const ctx = new Real();
  const make = ctx.createOscillator.bind(ctx);
  ctx.createOscillator = function () { window.__beeps += 1; return make(); };
  return ctx;
};
"""


@pytest.mark.parametrize("locale, words", [
    ("pt-BR", {"user": "Usuário", "password": "Senha", "sign_in": "Entrar", "gate": "Porta", "start": "Começar a validar",
               "code": "Código do ingresso", "admitted": "ADMITIDO", "check": "confira o documento"}),
    ("en", {"user": "Username", "password": "Password", "sign_in": "Sign in", "gate": "Gate", "start": "Start scanning",
            "code": "Ticket code", "admitted": "ADMITTED", "check": "check the holder's document"}),
])
def test_door_by_hand(browser, live_server, make_user, locale, words):
    make_user("door", username="rita", locale=locale.replace("-", "_"))
    tonight = make_event(title="Noite de Samba", tiers=(("Inteira", 100_00, 100),), days_ahead=0)
    make_event(title="Jazz no Salão", tiers=(("Pista", 80_00, 50),), days_ahead=3)
    meia, = sell_tickets(tonight)
    Ticket.objects(pk=meia.pk).update_one(set__holder_document="123.456.789-00", set__code="7KQ2M9XD4HTPB3VN8WREJC5F2A")
    context = browser.new_context(base_url=live_server.url, locale=locale)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(COUNT_BEEPS)
    try:
        page.goto("/login")
        page.get_by_label(words["user"]).fill("rita")
        page.get_by_label(words["password"]).fill("secret-pass")
        page.get_by_role("button", name=words["sign_in"]).click()
        page.wait_for_url(live_server.url + "/")
        page.goto("/door/")
        expected = door.next_show(door.door_shows())
        expect(page.locator(f'input[name=event_id][value="{expected.pk}"]')).to_be_checked()
        page.get_by_label(words["gate"], exact=True).fill("Porta A")
        page.get_by_role("button", name=words["start"]).click()
        code_box = page.get_by_label(words["code"])
        expect(code_box).to_be_focused()
        page.wait_for_load_state()
        result = page.locator("#door-result")

        requests = []
        page.on("request", lambda r: requests.append(r.url) if r.url.endswith("/scan") else None)
        code_box.press("Enter")  # nothing typed
        code_box.press_sequentially("   ")
        code_box.press("Enter")
        page.wait_for_timeout(400)
        expect(result).not_to_have_attribute("data-outcome", "refused")
        expect(result.locator(".door-idle")).to_be_visible()
        assert requests == [] and page.evaluate("window.__beeps") == 0
        expect(code_box).to_be_focused()

        code_box.fill("")
        code_box.press_sequentially(ticket_codes.grouped(Ticket.objects.get(pk=meia.pk).code).lower())  # by hand
        code_box.press("Enter")
        expect(result).to_have_attribute("data-outcome", "admitted")
        expect(result.locator(".door-word")).to_have_text(words["admitted"])
        expect(result.locator("#door-check")).to_contain_text(words["check"])
        expect(result.locator(".door-document")).to_have_text("123.456.789-00")
        expect(result.locator(".door-code")).to_have_text("7KQ2 M9XD 4HTP B3VN 8WRE JC5F 2A")
        page.wait_for_function("window.__beeps === 1")
        assert errors == []
    finally:
        context.close()
