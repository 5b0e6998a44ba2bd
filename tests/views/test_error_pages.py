"""Every error status a person can meet (400/403/404/405/413/500) is a page inside the layout, never a traceback."""
import pytest
from flask import abort

from tests.conftest import login_as
from webapp import create_app
from webapp.security import roles_required


def assert_in_layout(response, status, words):
    body = response.get_data(as_text=True)
    assert response.status_code == status, body[:300]
    assert '<main id="main"' in body and 'id="flashes"' in body and "· Bilheteria</title>" in body
    assert f"<h1>{status}</h1>" in body and words in body and "Traceback" not in body


@pytest.fixture(scope="module")
def failing_app(services):
    """A real app with two routes that fail the way a bug would (routes must be added before first use)."""
    app = create_app({"WTF_CSRF_ENABLED": False})

    @app.route("/_test/bad-request")
    @roles_required("seller")
    def bad_request():
        abort(400)

    @app.route("/_test/crash")
    @roles_required("seller")
    def crash():
        raise RuntimeError("a bug")

    return app


def test_400_and_500_pages_are_inside_the_layout(failing_app, make_user):
    browser = failing_app.test_client()
    login_as(browser, make_user("seller"))
    assert_in_layout(browser.get("/_test/bad-request"), 400, "Não foi possível entender o pedido")
    assert_in_layout(browser.get("/_test/crash"), 500, "Nada foi salvo")


def test_csrf_refusal_is_a_400_page_inside_the_layout(secure_app):
    response = secure_app.test_client().post("/login", data={"username": "x", "password": "y"})
    assert_in_layout(response, 400, "formulário expirou")


def test_403_404_405_413_pages_are_inside_the_layout(app, client, logged_in):
    logged_in("seller")
    assert 'class="mainnav"' in client.get("/no/such/page").get_data(as_text=True)  # signed in: with navigation
    assert_in_layout(client.get("/admin/staff/"), 403, "Seu perfil não permite")
    assert_in_layout(client.get("/no/such/page"), 404, "Esta página não existe")
    assert_in_layout(client.get("/logout"), 405, "não pode ser feita desse jeito")
    oversized = client.post("/shift/open", data={"opening_float": "1" * (app.config["MAX_CONTENT_LENGTH"] + 10)})
    assert_in_layout(oversized, 413, "grande demais")
