"""Sessions: one per sign-in (ending one leaves the others), the account page that lists and ends them, the
idle and absolute limits, the few minutes a sign-in counts as recent, and password change / deactivation ending
every session and token at once."""
from datetime import timedelta

from tests.accounts.conftest import api_token, bearer, sign_in_of
from tests.conftest import login_as
from webapp.models import AuthSession, User
from webapp.models.base import utcnow

HX = {"HX-Request": "true"}


def test_each_sign_in_has_its_own_session_and_logout_ends_only_that_one(app, make_user):
    user = make_user("seller")
    counter, office = app.test_client(), app.test_client()
    login_as(counter, user)
    login_as(office, user)
    assert sign_in_of(counter).pk != sign_in_of(office).pk
    stolen = counter.get_cookie("session").value
    assert counter.post("/logout").status_code == 302
    assert office.get("/").status_code == 200  # the other sign-in goes on
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/").status_code == 302  # the ended one's cookie signs nobody in
    assert AuthSession.objects(user_id=user.pk).count() == 1


def test_the_cookie_holds_no_stored_secret(app, make_user):
    """The database keeps only a digest: a copy of it signs nobody in."""
    user = make_user("seller")
    client = app.test_client()
    login_as(client, user)
    record = sign_in_of(client)
    with client.session_transaction() as sess:
        assert sess["_user_id"] != record.token_hash and record.token_hash not in str(dict(sess))
    thief = app.test_client()
    with thief.session_transaction() as sess:
        sess["_user_id"] = record.token_hash
    assert thief.get("/").status_code == 302


def test_the_account_page_lists_sessions_and_tokens_and_ends_one(app, make_user):
    user = make_user("seller")
    counter, office = app.test_client(), app.test_client()
    login_as(counter, user)
    office.post("/login", data={"username": user.username, "password": "secret-pass"},
                environ_base={"REMOTE_ADDR": "192.0.2.7", "HTTP_USER_AGENT": "Mozilla/5.0 (Windows NT 10.0) Firefox/128.0"})
    token = api_token(app.test_client(), user)
    page = counter.get("/account/")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Onde você está conectado" in body
    assert body.count('id="session-') == 3 and "Esta sessão" in body and "Token da API" in body
    assert "192.0.2.7" in body and "Firefox · Windows" in body
    other = sign_in_of(office)
    ended = counter.post(f"/account/sessions/{other.pk}/end", headers=HX)
    assert ended.status_code == 200
    fragment = ended.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="account-sessions">') and f"session-{other.pk}" not in fragment
    assert office.get("/").status_code == 302
    assert app.test_client().get("/api/v1/tickets/x", headers=bearer(token)).status_code == 404  # still signed in


def test_ending_sessions_works_without_htmx_too(app, make_user):
    user = make_user("seller")
    counter = app.test_client()
    login_as(counter, user)
    token = api_token(app.test_client(), user)
    response = counter.post("/account/sessions/end-others")
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    assert "Outras sessões encerradas: 1." in counter.get("/account/").get_data(as_text=True)
    assert app.test_client().get("/api/v1/tickets/x", headers=bearer(token)).status_code == 401
    assert counter.get("/").status_code == 200  # this one stays
    here = sign_in_of(counter)
    response = counter.post(f"/account/sessions/{here.pk}/end")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert counter.get("/").status_code == 302


def test_nobody_ends_someone_elses_session(app, make_user):
    owner, other = make_user("seller"), make_user("seller")
    owner_client, other_client = app.test_client(), app.test_client()
    login_as(owner_client, owner)
    login_as(other_client, other)
    target = sign_in_of(owner_client)
    for session_id in [str(target.pk), "nothing", "0" * 24]:
        assert other_client.post(f"/account/sessions/{session_id}/end").status_code == 404
    assert owner_client.get("/").status_code == 200


def test_an_idle_session_ends_and_automatic_refreshes_are_not_activity(app, make_user):
    user = make_user("manager")
    client = app.test_client()
    login_as(client, user)
    idle = app.config["SESSION_IDLE_MINUTES"]
    record = sign_in_of(client)
    almost = utcnow() - timedelta(minutes=idle - 1)
    AuthSession.objects(pk=record.pk).update_one(set__last_seen_at=almost)
    assert client.get("/dashboard/live", headers={**HX, "X-Auto-Refresh": "1"}).status_code == 200
    assert abs((AuthSession.objects.get(pk=record.pk).last_seen_at - almost).total_seconds()) < 1  # clock runs on
    assert client.get("/").status_code == 200  # a person's request is activity
    assert utcnow() - AuthSession.objects.get(pk=record.pk).last_seen_at < timedelta(seconds=5)
    AuthSession.objects(pk=record.pk).update_one(set__last_seen_at=utcnow() - timedelta(minutes=idle, seconds=5))
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert not AuthSession.objects(pk=record.pk).first()


def test_the_absolute_limit_ends_a_busy_session_and_a_token(app, make_user):
    user = make_user("seller")
    client = app.test_client()
    login_as(client, user)
    token = api_token(app.test_client(), user)
    AuthSession.objects(user_id=user.pk).update(set__expires_at=utcnow() - timedelta(seconds=1))
    assert client.get("/").status_code == 302
    assert app.test_client().get("/api/v1/tickets/x", headers=bearer(token)).status_code == 401


def test_an_idle_api_token_ends_too(app, make_user):
    user = make_user("seller")
    token = api_token(app.test_client(), user)
    AuthSession.objects(user_id=user.pk).update(
        set__last_seen_at=utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
    assert app.test_client().get("/api/v1/tickets/x", headers=bearer(token)).status_code == 401


def _stale(client, minutes):
    AuthSession.objects(pk=sign_in_of(client).pk).update_one(set__fresh_at=utcnow() - timedelta(minutes=minutes))


def test_a_recent_sign_in_lasts_a_few_minutes_for_staff_changes(app, client, make_user):
    admin, seller = make_user("admin"), make_user("seller")
    login_as(client, admin)
    User.objects(pk=seller.pk).update_one(set__locked_until=utcnow() + timedelta(minutes=5))
    _stale(client, app.config["RECENT_SIGN_IN_MINUTES"] + 1)  # signed in, but not within the last few minutes
    response = client.post(f"/admin/staff/{seller.pk}/unlock", headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/reauthenticate?next=")
    assert User.objects.get(pk=seller.pk).is_locked
    assert client.get(f"/admin/staff/{seller.pk}").status_code == 302  # the edit page asks first as well
    assert client.post("/reauthenticate", data={"password": "secret-pass"}).status_code == 302
    assert client.post(f"/admin/staff/{seller.pk}/unlock", headers=HX).status_code == 200
    assert not User.objects.get(pk=seller.pk).is_locked


def test_a_thirteen_hour_old_sign_in_does_not_refund(app, client, logged_in, sell, seller):
    from tests.sale_fixtures import card
    from webapp.models import Order

    with app.test_request_context():
        order = sell(seller, payments=[card()])
    logged_in("manager")
    _stale(client, 13 * 60)
    data = {"method": "card", "reference": "REV-0013", "reason": "Cliente desistiu"}
    response = client.post(f"/orders/{order.number}/refund", data=data, headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/reauthenticate")
    assert Order.objects.get(pk=order.pk).refunded_cents == 0


def test_password_change_ends_every_session_and_token_but_continues_here(app, client, make_user):
    user = make_user("seller")
    login_as(client, user)
    other = app.test_client()
    login_as(other, user)
    token = api_token(app.test_client(), user)
    response = client.post("/account/password", data={"current_password": "secret-pass",
                                                       "new_password": "fila-do-teatro-9"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert app.test_client().get("/api/v1/tickets/x", headers=bearer(token)).status_code == 401
    assert AuthSession.objects(user_id=user.pk).count() == 1


def test_deactivation_ends_every_session_and_token(app, client, make_user):
    seller = make_user("seller")
    login_as(client, seller)
    token = api_token(app.test_client(), seller)
    admin_client = app.test_client()
    login_as(admin_client, make_user("admin"))
    assert admin_client.post(f"/admin/staff/{seller.pk}/active", data={"active": "0"}).status_code == 200
    assert client.get("/").status_code == 302
    assert app.test_client().get("/api/v1/tickets/x", headers=bearer(token)).status_code == 401
    assert AuthSession.objects(user_id=seller.pk).count() == 0
