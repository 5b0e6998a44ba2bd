"""The browser exists from day one: a real Chromium signs in through the real page."""


def test_admin_signs_in_and_sees_the_dashboard_shell(page, make_user):
    admin = make_user("admin", username="ana")
    page.goto("/")
    assert page.url.endswith("/login?next=/")
    page.get_by_label("Usuário").fill("ana")
    page.get_by_label("Senha").fill("wrong-password")
    page.get_by_role("button", name="Entrar").click()
    assert page.get_by_text("Usuário ou senha incorretos.").is_visible()

    page.get_by_label("Senha").fill("secret-pass")
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", name=f"Que bom ver você, {admin.name}").is_visible()
    nav = page.get_by_role("navigation", name="Principal")
    assert nav.get_by_role("link", name="Equipe").is_visible()
    # htmx is served locally (never a CDN) and loaded
    assert page.evaluate("typeof window.htmx") == "object"
