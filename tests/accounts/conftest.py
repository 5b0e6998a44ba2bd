"""Helpers for the accounts tests: counting argon2 work, and reaching a client's sign-in record."""
import pytest
from argon2 import PasswordHasher

from webapp.models import AuthSession


@pytest.fixture
def argon2_runs(monkeypatch):
    """Every argon2 hash or verify the app runs, in order ("hash" / "verify"): the real ones, only counted."""
    runs = []
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def counted_hash(self, *args, **kwargs):
        runs.append("hash")
        return real_hash(self, *args, **kwargs)

    def counted_verify(self, *args, **kwargs):
        runs.append("verify")
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "hash", counted_hash)
    monkeypatch.setattr(PasswordHasher, "verify", counted_verify)
    return runs


def sign_in_of(client):
    """The AuthSession record behind a test client's cookie."""
    from webapp.services.sessions import _digest

    with client.session_transaction() as sess:
        token = sess["_user_id"]
    return AuthSession.objects.get(token_hash=_digest(token))


def api_token(client, user, password="secret-pass"):
    response = client.post("/api/v1/auth/login", json={"username": user.username, "password": password})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}
