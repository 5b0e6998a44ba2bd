"""A form sent back with an error puts the keyboard in the box in error: an admin whose new account was refused
for its password types the password again, not the username the form starts on."""
from playwright.sync_api import expect

from tests.conftest import sign_in_page
from webapp.models import User


def test_a_refused_password_takes_the_keyboard(page, make_user):
    make_user("admin", username="ana")
    sign_in_page(page, "ana")
    page.goto("/admin/staff/new")
    page.get_by_label("Usuário").fill("bruna")
    page.get_by_label("Nome completo").fill("Bruna Bilheteira")
    page.get_by_label("Bilheteria", exact=True).check()
    page.get_by_label("Senha").fill("curta")
    page.get_by_role("button", name="Salvar").click()

    password = page.get_by_label("Senha")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_be_focused()
    page.keyboard.type("violeta-no-palco-93")
    page.keyboard.press("Enter")
    page.get_by_text("Conta bruna criada.").wait_for()
    assert User.objects(username="bruna").count() == 1
