"""Signing in and out, lockout, throttling, session revocation, CSRF."""
import re


from tests.conftest import login_as
from webapp.models import AuditEntry, User


def test_login_success_lands_on_home(client, make_user):
    user = make_user("seller")
    response = client.post("/login", data={"username": user.username, "password": "secret-pass"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Seller Test" in client.get("/").get_data(as_text=True)


def test_login_failure_says_so_and_stays_out(client, make_user):
    user = make_user("seller")
    response = client.post("/login", data={"username": user.username, "password": "wrong-pass"})
    assert response.status_code == 401
    assert "Usuário ou senha incorretos" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_user_gets_same_message(client):
    response = client.post("/login", data={"username": "nobody", "password": "whatever1"})
    assert response.status_code == 401 and "Usuário ou senha incorretos" in response.get_data(as_text=True)


def test_empty_login_form_is_a_400_with_field_errors(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 400
    assert "obrigatório" in response.get_data(as_text=True)


def test_next_redirects_only_to_local_paths(client, make_user):
    user = make_user("admin")
    for target, expected in [("/admin/staff/", "/admin/staff/"), ("https://evil.example/", "/"),
                             ("//evil.example/x", "/"), ("/\\evil.example", "/")]:
        response = client.post("/login", data={"username": user.username, "password": "secret-pass",
                                               "next": target})
        assert response.headers["Location"] == expected, target
        client.post("/logout")


def test_account_locks_after_repeated_failures_and_admin_unlocks(app, client, make_user, login):
    user = make_user("seller")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": user.username, "password": "wrong-pass"})
    response = client.post("/login", data={"username": user.username, "password": "secret-pass"})
    # Refused with the answer any failure gets: it does not tell that the account exists, or is locked.
    assert response.status_code == 401 and "Usuário ou senha incorretos" in response.get_data(as_text=True)
    assert "bloquead" not in response.get_data(as_text=True)
    assert User.objects.get(pk=user.pk).is_locked
    assert AuditEntry.objects(action="user.locked").count() == 1

    admin = make_user("admin")
    admin_client = app.test_client()
    login_as(admin_client, admin)
    assert admin_client.post(f"/admin/staff/{user.pk}/unlock").status_code == 200
    assert login_as(client, user).status_code == 302


def test_login_attempts_are_throttled_per_address(app, client, make_user):
    user = make_user("seller")
    limit = int(app.config["RATELIMIT_LOGIN"].split()[0])
    statuses = [client.post("/login", data={"username": f"ghost{i}", "password": "x" * 8}).status_code
                for i in range(limit)]
    assert set(statuses) == {401}
    throttled = client.post("/login", data={"username": user.username, "password": "secret-pass"})
    assert throttled.status_code == 429
    assert "Muitas tentativas" in throttled.get_data(as_text=True)


def test_logout_revokes_a_copied_cookie(app, client, make_user, login):
    user = make_user("seller")
    login(user)
    stolen = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/").status_code == 302  # the old cookie no longer signs anyone in


def test_deactivated_users_session_dies_at_once(app, client, make_user, login):
    seller = make_user("seller")
    login(seller)
    assert client.get("/").status_code == 200
    admin = make_user("admin")
    admin_client = app.test_client()
    login_as(admin_client, admin)
    assert admin_client.post(f"/admin/staff/{seller.pk}/active", data={"active": "0"}).status_code == 200
    assert client.get("/").status_code == 302
    assert client.post("/login", data={"username": seller.username, "password": "secret-pass"}).status_code == 401


def test_password_change_ends_other_sessions(app, client, make_user, login):
    user = make_user("seller")
    login(user)
    other_device = app.test_client()
    login_as(other_device, user)
    response = client.post("/account/password", data={"current_password": "secret-pass",
                                                       "new_password": "brand-new-pass"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session continues
    assert other_device.get("/").status_code == 302  # the other one is gone
    assert client.post("/logout").status_code == 302
    assert login_as(client, user, "brand-new-pass")


def test_wrong_current_password_is_refused(client, logged_in):
    logged_in("seller")
    response = client.post("/account/password", data={"current_password": "nope-nope",
                                                      "new_password": "brand-new-pass"})
    assert response.status_code == 400 and "senha atual está errada" in response.get_data(as_text=True)


def test_posts_without_csrf_token_are_rejected_form_and_htmx(secure_app, make_user):
    user = make_user("seller")
    browser = secure_app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    refused = browser.post("/login", data={"username": user.username, "password": "secret-pass"})
    assert refused.status_code == 400 and "formulário expirou" in refused.get_data(as_text=True)
    accepted = browser.post("/login", data={"username": user.username, "password": "secret-pass",
                                            "csrf_token": token})
    assert accepted.status_code == 302
    # HTMX requests carry the token in a header set by hx-headers on <body>.
    home = browser.get("/").get_data(as_text=True)
    header_token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', home).group(1)
    no_token = browser.post("/language", data={"locale": "en"}, headers={"HX-Request": "true"})
    assert no_token.status_code == 400
    assert User.objects.get(pk=user.pk).locale == "pt_BR"
    with_token = browser.post("/language", data={"locale": "en"},
                              headers={"HX-Request": "true", "X-CSRFToken": header_token})
    assert with_token.status_code == 302
    assert User.objects.get(pk=user.pk).locale == "en"


def test_behind_a_proxy_the_throttle_counts_each_client_address(services):
    from webapp import create_app

    proxied = create_app({"WTF_CSRF_ENABLED": False, "PROXY_HOPS": 1, "RATELIMIT_LOGIN": "2 per minute"})
    client = proxied.test_client()

    def attempt(address):
        return client.post("/login", data={"username": "ghost", "password": "x" * 8},
                           headers={"X-Forwarded-For": address}).status_code

    assert [attempt("10.0.0.1") for _ in range(3)] == [401, 401, 429]
    assert attempt("10.0.0.2") == 401  # another customer window behind the same load balancer


def test_password_guesses_on_the_fresh_login_page_count_toward_the_lockout(app, client, make_user, login):
    """A session left open at the counter must not become a free password oracle for refunds and overrides."""
    user = make_user("manager")
    login(user)
    with client.session_transaction() as sess:
        sess["_fresh"] = False
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert client.post("/reauthenticate", data={"password": "wrong-guess"}).status_code == 400
    right = client.post("/reauthenticate", data={"password": "secret-pass"})
    assert right.status_code == 400 and "Senha incorreta" in right.get_data(as_text=True)
    user.reload()
    assert user.is_locked


def test_the_fresh_login_page_is_throttled_like_the_login_page(app, client, make_user, login, monkeypatch):
    user = make_user("manager")
    login(user)
    limit = int(app.config["RATELIMIT_LOGIN"].split()[0])
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", limit + 5)
    statuses = [client.post("/reauthenticate", data={"password": "wrong-guess"}).status_code for _ in range(limit)]
    assert set(statuses) == {400}
    assert client.post("/reauthenticate", data={"password": "secret-pass"}).status_code == 429
