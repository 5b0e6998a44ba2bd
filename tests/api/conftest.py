"""API test helpers: a client with a Bearer token for a user, and fresh Idempotency-Keys."""
import uuid

import pytest

from tests.views.test_api import token_for


@pytest.fixture
def bearer(app):
    """bearer(user) -> (client, headers) with that user's token."""

    def make(user):
        client = app.test_client()
        return client, {"Authorization": f"Bearer {token_for(client, user)}"}

    return make


def keyed(headers, key=None):
    """The headers with an Idempotency-Key (a new one unless given)."""
    return {**headers, "Idempotency-Key": key or str(uuid.uuid4())}
