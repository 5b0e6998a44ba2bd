"""Schemathesis against the live test app: every operation of the OpenAPI document, all checks, bounded examples.

The document says what is valid; the app must accept what it promises (a rule's refusal is a 422, a conflict a
409), refuse what it does not (400), answer only the statuses it lists and always the body schema it declares.
"""
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from tests.factories import make_event
from webapp.services import sessions, shifts

EXAMPLES = 12  # per operation and phase: the whole run stays within a couple of minutes on a busy machine
CONFIG = {
    "generation": {"max-examples": EXAMPLES, "mode": "all"},
    # A well-formed request a rule refuses (the show started, the shift is closed) is a 422 by design.
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]}},
}


TOKENS = {}  # set by the `fuzzer` fixture for the auth provider below


def _token(app, user):
    # Minted by the service, not POST /auth/login: the fuzzing of login itself meets its rate limit.
    with app.test_request_context():
        return sessions.start(user, "api", ip="127.0.0.1", agent="schemathesis")


@schemathesis.auth(refresh_interval=None)
class BearerToken:
    """The admin's token; POST /auth/logout ends the token it is sent with, so it gets one of its own each time."""

    def get(self, case, ctx):
        return _token(TOKENS["app"], TOKENS["user"]) if case.path == "/api/v1/auth/logout" else TOKENS["token"]

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def fuzzer(make_user, secure_app):
    """An admin (every role) with an open shift, its token, and a show on sale."""
    admin = make_user("admin", username="fuzz")
    with secure_app.test_request_context():
        shifts.open_shift(admin, 100_00)
        make_event(tiers=(("Inteira", 100_00, 50),), concession_tiers=(("Meia", 50_00, 20),))
    TOKENS.update(app=secure_app, user=admin, token=_token(secure_app, admin))
    yield
    TOKENS.clear()


@pytest.fixture
def api_schema(live_server, fuzzer):
    """The document as the app serves it (read with the admin's token)."""
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json",
                                         headers={"Authorization": f"Bearer {TOKENS['token']}"},
                                         config=SchemathesisConfig.from_dict(CONFIG))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_operation_keeps_its_contract(case):
    case.call_and_validate()
