"""A real Chromium on the account page: two sign-ins of one person, the other one ended from here (HTMX swaps the
list in place), then this one, after the confirmation dialog."""
from playwright.sync_api import expect

from tests.conftest import sign_in_page


def test_ending_another_session_from_the_account_page(page, browser, live_server, make_user):
    make_user("seller", username="carla")
    other_context = browser.new_context(base_url=live_server.url, locale="pt-BR")
    other = other_context.new_page()
    try:
        sign_in_page(other, "carla")
        sign_in_page(page, "carla")
        page.locator("summary", has_text="Seller Test").click()
        page.get_by_role("link", name="Minha conta").click()
        expect(page.get_by_role("heading", name="Onde você está conectado")).to_be_visible()
        rows = page.locator("#account-sessions tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text("Esta sessão")  # the most recent first: this one
        expect(rows.first).to_contain_text("Chrome · Linux")

        rows.nth(1).get_by_role("button", name="Encerrar").click()
        expect(rows).to_have_count(1)
        expect(page.locator("#account-sessions")).to_contain_text("Sessão encerrada.")
        assert page.evaluate("typeof window.htmx") == "object" and page.url.endswith("/account/")

        other.reload()
        expect(other.get_by_role("button", name="Entrar")).to_be_visible()  # signed out over there

        page.once("dialog", lambda dialog: dialog.accept())
        rows.first.get_by_role("button", name="Sair aqui").click()
        page.wait_for_url("**/login")
        page.goto("/account/")
        assert "/login" in page.url
    finally:
        other_context.close()

