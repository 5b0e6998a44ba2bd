"""A real Chromium at the door: type a code + Enter like a scanner, admitted once, then refused with the time."""
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.conftest import sign_in_page
from webapp.models import Ticket

from .factories import sell_tickets


def test_door_staff_scan_a_ticket_then_scan_it_again(page, make_user, show):
    make_user("door", username="rita")
    ticket, = sell_tickets(show, seats=["B7"])

    sign_in_page(page, "rita")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Portaria").click()
    page.get_by_label("Noite de Samba").check()
    page.get_by_label("Porta", exact=True).fill("Porta A")
    page.get_by_role("button", name="Começar a validar").click()

    code_box = page.get_by_label("Código do ingresso")
    expect(code_box).to_be_focused()
    code_box.press_sequentially(ticket.code)  # a USB scanner "types" the code …
    code_box.press("Enter")  # … and presses Enter
    result = page.locator("#door-result")
    expect(result).to_have_attribute("data-outcome", "admitted")
    expect(result.locator(".door-word")).to_have_text("ADMITIDO")
    assert result.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(19, 122, 58)"  # green
    expect(result.locator(".door-message")).to_have_text("Inteira")
    expect(result.locator("#door-seat")).to_have_text("Fila B · Lugar 7")
    expect(page.locator("#door-admitted")).to_have_text("1")
    expect(code_box).to_be_focused()
    expect(code_box).to_have_value("")

    page.locator("h1").click()  # a stray click elsewhere gives the focus back to the code box
    expect(code_box).to_be_focused()
    code_box.press_sequentially(ticket.code)
    code_box.press("Enter")
    expect(result).to_have_attribute("data-outcome", "refused")
    expect(result.locator(".door-word")).to_have_text("RECUSADO")
    assert result.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(179, 38, 30)"  # red
    used_at = Ticket.objects.get(pk=ticket.pk).used_at.astimezone(ZoneInfo("America/Sao_Paulo"))
    expect(result).to_contain_text(re.compile(rf"Já utilizado em .*{used_at:%H:%M:%S} \(porta: Porta A\)"))
    expect(page.locator("#door-admitted")).to_have_text("1")
    expect(code_box).to_be_focused()
