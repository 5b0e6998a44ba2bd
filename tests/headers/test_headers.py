"""Security headers on every answer: the strict policy on pages, the camera only at the door, nothing personal
kept in a cache, HSTS in production, Swagger UI under its own looser script/style policy."""
import pytest

from tests.factories import make_event
from tests.views.test_api import token_for
from webapp import config as config_module
from webapp import create_app


def directives(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    policy = response.headers["Content-Security-Policy"]
    parsed = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def permissions(response):
    """The Permissions-Policy as {feature: allowlist}."""
    return dict(item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(","))


def assert_strict(response):
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]  # nothing inline, no eval
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    # same-origin, not no-referrer: Flask-WTF checks the Referer of form posts made over HTTPS.
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # only production (behind TLS) sends it


def test_login_page_and_errors_carry_the_strict_policy(client):
    for response in (client.get("/login"), client.get("/static/css/app.css"), client.get("/livez"),
                     client.get("/no-such-page"), client.post("/login", json={"x": 1})):
        assert_strict(response)
        assert permissions(response)["camera"] == "()", response.request.path


def test_signed_in_pages_and_htmx_fragments_carry_it_too(client, logged_in):
    logged_in("admin", "manager", "seller")
    for path in ("/", "/events", "/orders", "/reports/", "/dashboard/live"):
        response = client.get(path, headers={"HX-Request": "true"} if path == "/dashboard/live" else {})
        assert response.status_code == 200, path
        assert_strict(response)
        assert permissions(response)["camera"] == "()"


def test_only_the_door_scanning_page_may_use_the_camera(client, logged_in):
    logged_in("door")
    event = make_event()
    choose = client.get("/door/")
    assert permissions(choose)["camera"] == "()"
    client.post("/door/", data={"event_id": str(event.pk), "gate": "Porta A"})
    scan_page = client.get(f"/door/{event.pk}")
    assert scan_page.status_code == 200 and 'id="camera-button"' in scan_page.get_data(as_text=True)
    assert permissions(scan_page)["camera"] == "(self)"
    assert permissions(scan_page)["microphone"] == "()" and permissions(scan_page)["geolocation"] == "()"
    # A scan without JavaScript answers with the whole scanning page, which keeps its camera.
    assert permissions(client.post(f"/door/{event.pk}/scan", data={"code": "nope"}))["camera"] == "(self)"
    assert_strict(scan_page)


def test_personal_data_is_never_stored_in_a_cache(app, client, seller, sell, make_user):
    order = sell(seller, {0: 1})
    client.post("/login", data={"username": seller.username, "password": "secret-pass"})
    for path in ("/", f"/orders/{order.number}", f"/orders/{order.number}/print", f"/orders?q={order.number}",
                 "/shift"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path

    api = app.test_client()
    headers = {"Authorization": f"Bearer {token_for(api, seller)}"}
    answer = api.get(f"/api/v1/orders/{order.number}", headers=headers)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert api.get("/api/v1/orders/NOPE", headers=headers).headers["Cache-Control"] == "no-store"

    manager = make_user("manager")
    reports = app.test_client()
    reports.post("/login", data={"username": manager.username, "password": "secret-pass"})
    export = reports.get("/reports/sales/export.csv")
    assert export.status_code == 200 and export.headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")


def test_swagger_ui_gets_its_own_policy_and_nothing_else_does(client, logged_in):
    logged_in("admin")
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    csp = directives(docs)
    # Swagger UI styles its widgets inline (only this page allows it); its scripts are files, as everywhere.
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-inline'" in csp["style-src"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert docs.headers["X-Frame-Options"] == "DENY" and docs.headers["Cache-Control"] == "no-store"
    assert_strict(client.get("/api/v1/openapi.json"))
    assert_strict(client.get("/api/v1/events"))


@pytest.fixture
def production_app(services, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    return create_app(config_module.load("production"))


def test_production_sends_hsts(production_app):
    response = production_app.test_client().get("/livez")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_hsts_can_be_turned_off_where_tls_is_not_ours(services, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("HSTS_SECONDS", "0")
    app = create_app(config_module.load("production"))
    assert "Strict-Transport-Security" not in app.test_client().get("/livez").headers
