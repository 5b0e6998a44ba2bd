"""What the cheaper request path must keep: every sign-in form throttled (and nothing else), a cookie copied to
another browser no longer recent, the session cookie signed with the current secret, roles read as they are now."""
from tests.conftest import login_as
from webapp.services import sessions


def _limit(app):
    return int(app.config["RATELIMIT_LOGIN"].split()[0])


def test_api_sign_in_is_throttled_and_no_other_request_is(app, make_user):
    user = make_user("seller")
    client = app.test_client()
    wrong = {"username": user.username, "password": "wrong-password"}
    assert {client.post("/api/v1/auth/login", json=wrong).status_code for _ in range(_limit(app))} == {401}
    throttled = client.post("/api/v1/auth/login", json={"username": user.username, "password": "secret-pass"})
    assert throttled.status_code == 429 and throttled.get_json()["error"]
    with app.test_request_context():
        token = sessions.start(user, "api", ip="127.0.0.1")
    # The same address goes on using the API (and its pages) well past the sign-in limit.
    headers = {"Authorization": f"Bearer {token}"}
    assert {client.get("/api/v1/tickets/NOPE", headers=headers).status_code for _ in range(_limit(app) + 3)} == {404}
    assert {client.get("/login").status_code for _ in range(_limit(app) + 3)} == {200}


def test_the_password_change_form_is_throttled(app, client, logged_in, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", _limit(app) + 5)  # the limit, not the lockout, answers
    logged_in("seller")
    form = {"current_password": "not-the-password", "new_password": "a-new-long-password-1",
            "confirm": "a-new-long-password-1"}
    assert 429 not in {client.post("/account/password", data=form).status_code for _ in range(_limit(app))}
    assert client.post("/account/password", data=form).status_code == 429


def test_a_cookie_used_from_another_browser_is_no_recent_sign_in(client, make_user):
    """Flask-Login's basic session protection: the same cookie from another User-Agent is signed in, not fresh."""
    admin = make_user("admin")
    login_as(client, admin)
    assert client.get("/admin/staff/new").status_code == 200
    elsewhere = client.get("/admin/staff/new", headers={"User-Agent": "Another browser"})
    assert elsewhere.status_code == 302 and "/reauthenticate" in elsewhere.headers["Location"]
    assert client.get("/").status_code == 200  # still signed in


def test_the_session_cookie_is_checked_with_the_current_secret(app, client, make_user, monkeypatch):
    login_as(client, make_user("seller"))
    assert client.get("/").status_code == 200
    old = app.config["SECRET_KEY"]
    monkeypatch.setattr(app, "secret_key", "a-new-secret-" + "y" * 32)
    assert client.get("/").status_code == 302  # signed with the old secret: nobody
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old])
    assert client.get("/").status_code == 200  # the old secret still accepted as a fallback


def test_roles_are_read_as_they_are_now(make_user):
    user = make_user("door")
    assert user.has_role("door") and not user.has_role("seller")
    user.roles = ["manager"]
    assert user.has_role("seller") and not user.has_role("admin")
    user.roles.append("admin")
    assert user.has_role("admin")
    user.roles = []
    assert not user.has_role("door") and user.effective_roles == set()
