"""API tokens: POST /api/v1/auth/logout ends the one token; devices (a door scanner, a kiosk) get named,
revocable tokens with a role from an admin, and never a password."""
import re

from tests.accounts.conftest import api_token, bearer
from tests.conftest import login_as
from webapp.models import AuditEntry, AuthSession, User

HX = {"HX-Request": "true"}


def test_api_logout_ends_that_token_only(app, make_user):
    user = make_user("seller")
    client = app.test_client()
    first, second = api_token(client, user), api_token(client, user)
    assert first != second
    assert client.post("/api/v1/auth/logout", headers=bearer(first)).status_code == 204
    assert client.get("/api/v1/tickets/x", headers=bearer(first)).status_code == 401
    assert client.post("/api/v1/auth/logout", headers=bearer(first)).status_code == 401
    assert client.get("/api/v1/tickets/x", headers=bearer(second)).status_code == 404  # signed in, no such ticket


def test_the_login_answer_says_when_the_token_expires(app, make_user):
    response = app.test_client().post("/api/v1/auth/login", json={"username": make_user("seller").username,
                                                                  "password": "secret-pass"})
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", response.get_json()["expires_at"])


def _create_device(client, name="Scanner do Portão Norte", role="door", headers=None):
    response = client.post("/admin/devices/", data={"name": name, "role": role}, headers=headers or {})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    return re.search(r'<code class="token">([^<]+)</code>', body).group(1), body


def test_an_admin_makes_a_device_token_that_works_with_its_role_only(app, client, make_user):
    login_as(client, make_user("admin"))
    token, body = _create_device(client)
    assert "só é mostrado esta vez" in body
    api = app.test_client()
    assert api.get("/api/v1/tickets/x", headers=bearer(token)).status_code == 404  # door may look tickets up
    assert api.post("/api/v1/orders", headers=bearer(token), json={}).status_code == 403  # but not sell
    assert api.get("/api/v1/events", headers=bearer(token)).status_code == 403
    device = User.objects.get(kind="device")
    assert device.roles == ["door"] and device.name == "Scanner do Portão Norte"
    assert AuthSession.objects.get(user_id=device.pk).token_hash != token  # only a digest is kept
    page = client.get("/admin/devices/").get_data(as_text=True)
    assert "Scanner do Portão Norte" in page and token not in page  # shown once, never again
    assert "Scanner do Portão Norte" not in client.get("/admin/staff/").get_data(as_text=True)
    assert AuditEntry.objects(action="device.create", target_id=str(device.pk)).count() == 1


def test_a_device_never_signs_in_with_a_password_nor_a_browser(app, client, make_user):
    login_as(client, make_user("admin"))
    token, _ = _create_device(client, "Quiosque do saguão", "seller")
    device = User.objects.get(kind="device")
    for password in ["", "secret-pass", token]:
        refused = app.test_client().post("/login", data={"username": device.username, "password": password or "x" * 8})
        assert refused.status_code == 401
        assert app.test_client().post("/api/v1/auth/login", json={"username": device.username,
                                                                   "password": password}).status_code == 401
    browser = app.test_client()
    with browser.session_transaction() as sess:
        sess["_user_id"] = token  # a device token is no browser session
    assert browser.get("/").status_code == 302
    assert client.get(f"/admin/staff/{device.pk}").status_code == 404  # nor a staff account to edit


def test_revoking_a_device_ends_its_token_at_once(app, client, make_user):
    login_as(client, make_user("admin"))
    token, _ = _create_device(client)
    device = User.objects.get(kind="device")
    response = client.post(f"/admin/devices/{device.pk}/revoke", headers=HX)
    assert response.status_code == 200 and "revogado" in response.get_data(as_text=True)
    assert app.test_client().get("/api/v1/tickets/x", headers=bearer(token)).status_code == 401
    assert "Scanner do Portão Norte" not in client.get("/admin/devices/").get_data(as_text=True)
    assert client.post(f"/admin/devices/{device.pk}/revoke").status_code == 404
    assert AuditEntry.objects(action="device.revoke", target_id=str(device.pk)).count() == 1


def test_device_pages_are_for_admins_with_a_recent_sign_in(app, client, make_user):
    from datetime import timedelta

    from tests.accounts.conftest import sign_in_of
    from webapp.models.base import utcnow

    login_as(client, make_user("manager"))
    assert client.get("/admin/devices/").status_code == 403
    assert client.post("/admin/devices/", data={"name": "X", "role": "door"}).status_code == 403
    admin = app.test_client()
    login_as(admin, make_user("admin"))
    AuthSession.objects(pk=sign_in_of(admin).pk).update_one(set__fresh_at=utcnow() - timedelta(hours=1))
    response = admin.post("/admin/devices/", data={"name": "Leitor", "role": "door"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/reauthenticate")
    assert not User.objects(kind="device").first()


def test_bad_device_input_is_refused_next_to_the_field(client, make_user):
    login_as(client, make_user("admin"))
    for data, message in [({"name": "", "role": "door"}, "obrigatório"), ({"name": "x" * 81, "role": "door"}, "80"),
                          ({"name": "Leitor", "role": "admin"}, "Escolha")]:
        response = client.post("/admin/devices/", data=data, headers=HX)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    assert not User.objects(kind="device").first()


def _operations(app):
    from webapp import db

    with app.app_context():
        counters = db.database().command("serverStatus")["opcounters"]
    return sum(counters[k] for k in ("insert", "query", "update", "delete", "getmore", "command"))


def test_a_token_is_checked_in_one_round_trip_on_every_request_and_a_deactivated_user_is_out_at_once(app, make_user):
    user = make_user("seller")
    client = app.test_client()
    token = api_token(client, user)
    assert client.get("/api/v1/tickets/x", headers=bearer(token)).status_code == 404  # last use written: not again
    before = _operations(app)
    assert client.get("/api/v1/tickets/x", headers=bearer(token)).status_code == 404
    assert _operations(app) - before - 1 == 2  # the sign-in with its user, then the ticket (serverStatus: the 1)
    User.objects(pk=user.pk).update_one(set__active=False)  # nothing remembered between requests
    assert client.get("/api/v1/tickets/x", headers=bearer(token)).status_code == 401
    assert AuthSession.objects(user_id=user.pk).count() == 0
