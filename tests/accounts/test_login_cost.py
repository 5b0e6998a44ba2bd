"""Username enumeration by timing: every path of a sign-in runs exactly one argon2 verification, whatever the
account (unknown, wrong password, right password, locked, deactivated, a device) — counted, not timed."""
from datetime import timedelta

import pytest

from tests.accounts.conftest import api_token
from tests.conftest import login_as
from webapp.models import User
from webapp.models.base import utcnow


@pytest.fixture
def accounts(app, make_user):
    """username -> the password tried for it, one per path of authenticate()."""
    from webapp.services.devices import create_device

    locked = make_user("seller", username="locked1")
    User.objects(pk=locked.pk).update_one(set__locked_until=utcnow() + timedelta(minutes=5))
    off = make_user("seller", username="inactive1")
    User.objects(pk=off.pk).update_one(set__active=False)
    make_user("seller", username="known1")
    with app.test_request_context():
        device, _ = create_device(make_user("admin"), "Leitor da porta", "door")
    return {
        "unknown": ("nobody-here", "secret-pass"),
        "wrong password": ("known1", "wrong-pass"),
        "right password": ("known1", "secret-pass"),
        "locked, right password": ("locked1", "secret-pass"),
        "locked, wrong password": ("locked1", "wrong-pass"),
        "deactivated, right password": ("inactive1", "secret-pass"),
        "a device's username": (device.username, "secret-pass"),
    }


PATHS = ["unknown", "wrong password", "right password", "locked, right password", "locked, wrong password",
         "deactivated, right password", "a device's username"]


@pytest.mark.parametrize("path", PATHS)
def test_the_login_page_costs_one_argon2_run_on_every_path(app, accounts, argon2_runs, path):
    username, password = accounts[path]
    app.test_client().post("/login", data={"username": username, "password": password})
    assert argon2_runs == ["verify"]


@pytest.mark.parametrize("path", PATHS)
def test_the_api_login_costs_one_argon2_run_on_every_path(app, accounts, argon2_runs, path):
    username, password = accounts[path]
    app.test_client().post("/api/v1/auth/login", json={"username": username, "password": password})
    assert argon2_runs == ["verify"]


@pytest.mark.parametrize("body", [{"username": ["x"], "password": 1}, {"username": "known1", "password": "p" * 129},
                                  {"username": "u" * 41, "password": "secret-pass"}])
def test_malformed_api_credentials_cost_the_same_and_get_the_same_answer(app, accounts, argon2_runs, body):
    client = app.test_client()
    refused = client.post("/api/v1/auth/login", json=body)
    unknown = client.post("/api/v1/auth/login", json={"username": "nobody-here", "password": "secret-pass"})
    assert argon2_runs == ["verify", "verify"]
    assert refused.status_code == unknown.status_code == 401
    assert refused.get_json()["error"] == unknown.get_json()["error"]


def test_every_failure_gets_the_same_answer(app, accounts):
    answers = {}
    for path in PATHS:
        if path == "right password":
            continue
        username, password = accounts[path]
        page = app.test_client().post("/login", data={"username": username, "password": password})
        api = app.test_client().post("/api/v1/auth/login", json={"username": username, "password": password})
        text = page.get_data(as_text=True)
        answers[path] = (page.status_code, text[text.index('<p class="error"'):text.index("</p>", text.index(
            '<p class="error"'))], api.status_code, api.get_json())
    assert len(set(map(str, answers.values()))) == 1, answers
    assert answers["unknown"][0] == 401 and "Usuário ou senha incorretos" in answers["unknown"][1]


def test_re_authentication_costs_one_argon2_run_right_or_wrong(app, client, make_user, argon2_runs):
    user = make_user("manager")
    login_as(client, user)
    del argon2_runs[:]
    client.post("/reauthenticate", data={"password": "wrong-pass"})
    client.post("/reauthenticate", data={"password": "secret-pass"})
    assert argon2_runs == ["verify", "verify"]


def test_a_valid_token_costs_no_argon2_run(app, make_user, argon2_runs):
    client = app.test_client()
    token = api_token(client, make_user("admin"))
    del argon2_runs[:]
    assert client.get("/api/v1/venues", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert argon2_runs == []
