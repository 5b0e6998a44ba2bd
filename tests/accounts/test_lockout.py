"""Wrong passwords lock an account for a while, longer each time in a row, never for good; an admin (page or
`flask unlock-user`) ends it at once; the per-address throttle stays."""
import itertools
import time

from tests.conftest import login_as
from webapp.models import AuditEntry, User


ADDRESSES = itertools.count(1)


def _from_elsewhere():
    """Another client address each time, so the per-address throttle never hides the per-account lock."""
    n = next(ADDRESSES)
    return {"REMOTE_ADDR": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}


def _fail(client, user, times):
    for _ in range(times):
        response = client.post("/login", data={"username": user.username, "password": "wrong-pass"},
                               environ_base=_from_elsewhere())
        assert response.status_code == 401


def _signs_in(app, user):
    response = app.test_client().post("/login", data={"username": user.username, "password": "secret-pass"},
                                      environ_base=_from_elsewhere())
    return response.status_code == 302


def test_the_lock_is_temporary_and_grows_with_each_lockout_in_a_row(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOCKOUT_SECONDS", 1)
    monkeypatch.setitem(app.config, "LOCKOUT_MAX_SECONDS", 3)
    limit = app.config["LOGIN_MAX_FAILURES"]
    user = make_user("seller")

    _fail(client, user, limit)
    assert not _signs_in(app, user)  # even the right password waits
    first = User.objects.get(pk=user.pk)
    assert (first.locked_until - first.locked_at).total_seconds() == 1
    time.sleep(1.1)
    _fail(client, user, limit)  # the lock ended by itself; five more wrong ones lock again, twice as long
    second = User.objects.get(pk=user.pk)
    assert (second.locked_until - second.locked_at).total_seconds() == 2
    time.sleep(2.1)
    _fail(client, user, limit)
    third = User.objects.get(pk=user.pk)
    assert (third.locked_until - third.locked_at).total_seconds() == 3  # capped at LOCKOUT_MAX_SECONDS
    assert AuditEntry.objects(action="user.locked", target_id=str(user.pk)).count() == 3
    time.sleep(3.1)
    assert _signs_in(app, user)
    assert User.objects.get(pk=user.pk).lockouts == 0  # a sign-in starts the next series from the shortest wait


def test_tries_during_a_lock_do_not_count_or_extend_it(app, client, make_user):
    user = make_user("seller")
    _fail(client, user, app.config["LOGIN_MAX_FAILURES"])
    locked = User.objects.get(pk=user.pk)
    _fail(client, user, 3)
    again = User.objects.get(pk=user.pk)
    assert (again.locked_until, again.failed_logins, again.lockouts) == (locked.locked_until, 0, 1)


def test_a_right_password_before_the_limit_clears_the_count(app, client, make_user):
    user = make_user("seller")
    _fail(client, user, app.config["LOGIN_MAX_FAILURES"] - 1)
    assert _signs_in(app, user)
    _fail(client, user, app.config["LOGIN_MAX_FAILURES"] - 1)
    assert not User.objects.get(pk=user.pk).is_locked


def test_the_staff_list_shows_a_lock_and_the_admin_ends_it(app, client, make_user):
    user = make_user("seller")
    _fail(app.test_client(), user, app.config["LOGIN_MAX_FAILURES"])
    login_as(client, make_user("admin"))
    page = client.get("/admin/staff/").get_data(as_text=True)
    assert "Bloqueada" in page and f"/admin/staff/{user.pk}/unlock" in page
    response = client.post(f"/admin/staff/{user.pk}/unlock", headers={"HX-Request": "true"})
    assert response.status_code == 200 and f"/admin/staff/{user.pk}/unlock" not in response.get_data(as_text=True)
    assert _signs_in(app, user)
    assert AuditEntry.objects(action="user.unlock", target_id=str(user.pk)).count() == 1


def test_flask_unlock_user(app, make_user):
    user = make_user("seller", username="travada")
    _fail(app.test_client(), user, app.config["LOGIN_MAX_FAILURES"])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["unlock-user", "Travada"])
    assert result.exit_code == 0 and "unlocked travada" in result.output
    assert _signs_in(app, user)
    assert AuditEntry.objects(action="user.unlock", target_id=str(user.pk)).count() == 1
    missing = runner.invoke(args=["unlock-user", "ninguem"])
    assert missing.exit_code != 0 and "no account named" in missing.output


def test_a_wrong_current_password_on_the_password_page_counts_too(app, client, make_user):
    user = make_user("seller")
    login_as(client, user)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        response = client.post("/account/password", data={"current_password": "wrong-pass",
                                                           "new_password": "outra-senha-boa-1"})
        assert response.status_code == 400
    assert User.objects.get(pk=user.pk).is_locked
