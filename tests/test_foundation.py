"""Foundation promises not covered elsewhere: production secret, the launcher's failures and crash recovery,
the two CLI commands, a fresh session on login."""
import os
import re
import signal
import socket
from pathlib import Path

import pymongo
import pytest

from tests.conftest import login_as
from localstack import databases
from webapp import config, create_app
from webapp.models import User


@pytest.mark.parametrize("secret", [None, "short", "change-me-" + "x" * 40])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, secret):
    monkeypatch.setenv("FLASK_CONFIG", "production")
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_a_long_random_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 8 + os.urandom(16).hex())
    settings = config.load("production")
    assert settings.SESSION_COOKIE_SECURE and len(settings.SECRET_KEY) >= 32


def test_launcher_says_which_binary_it_looked_for_and_where(monkeypatch, tmp_path):
    monkeypatch.setattr(databases, "_in_package", lambda *parts: [])
    monkeypatch.setattr(databases.sys, "prefix", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("MONGOD_BIN", raising=False)
    monkeypatch.delenv("REDIS_SERVER_BIN", raising=False)
    with pytest.raises(databases.StackError) as err:
        databases.start_mongo(tmp_path)
    assert "mongod not found" in str(err.value) and "$MONGOD_BIN" in str(err.value) and "PATH" in str(err.value)
    with pytest.raises(databases.StackError) as err:
        databases.start_redis(tmp_path)
    assert "redis-server not found" in str(err.value) and "REDIS_SERVER_BIN" in str(err.value)


def test_a_configured_port_in_use_is_a_clear_error(services, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(databases.StackError, match="already in use"):
            databases.start_redis(tmp_path, port=busy.getsockname()[1])


def test_mongod_killed_hard_starts_again_on_its_data(services, tmp_path):
    """kill -9 leaves mongod.lock behind; the next start clears it and finds the data and the replica set."""
    first = databases.start_mongo(tmp_path)
    pymongo.MongoClient(first.url).crash_test.things.insert_one({"kept": True})
    os.kill(first.proc.pid, signal.SIGKILL)
    first.proc.wait()
    assert (tmp_path / "mongo" / "mongod.lock").stat().st_size > 0
    again = databases.start_mongo(tmp_path)
    try:
        client = pymongo.MongoClient(again.url, serverSelectionTimeoutMS=5000)
        assert client.crash_test.things.find_one({"kept": True})
        assert client.admin.command("hello")["isWritablePrimary"]
    finally:
        again.stop()
        first.stop()


def test_flask_create_user_and_seed_demo(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "rita", "--name", "Rita Souza", "--role", "seller",
                                 "--password", "caixa-do-saguao-1"])
    assert result.exit_code == 0, result.output
    assert User.objects.get(username="rita").roles == ["seller"]
    assert runner.invoke(args=["create-user", "rita", "--name", "Again", "--role", "seller",
                               "--password", "caixa-do-saguao-1"]).exit_code != 0  # duplicate: refused
    weak = runner.invoke(args=["create-user", "bia", "--name", "Bia Lima", "--role", "seller", "--password", "bia-12345"])
    assert weak.exit_code != 0 and "nome" in weak.output and not User.objects(username="bia").first()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "mesa-de-som-42" in first.output and "DEMO ONLY" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "mesa-de-som-42" not in second.output
    assert User.objects(username__in=["admin", "gerente", "caixa", "porta"]).count() == 4
    # The README's demo logins are the seeded ones.
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    logins = re.findall(r"^\| `(admin|gerente|caixa|porta)` \| `([^`]+)` \|", readme, re.M)
    assert len(logins) == 4
    for username, password in logins:
        other = app.test_client()
        assert other.post("/login", data={"username": username, "password": password}).status_code == 302, username


def test_login_starts_a_new_session(client, make_user):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login_as(client, make_user("seller"))
    with client.session_transaction() as session:
        assert "planted" not in session
