"""Schemathesis against the live test app: every operation of the OpenAPI document, all checks, bounded examples.

The document says what is valid; the app must accept what it promises (a rule's refusal is a 422, a conflict a
409), refuse what it does not (400), answer only the statuses it lists and always the body schema it declares.
"""
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import pix, sell_now
from tests.seating.factories import grid, seated_show
from webapp.models import Ticket
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
    """An admin (every role) with an open shift and its token; a show on sale with a sale made: their ids are drawn
    half of the time, so operations get past "not found" to their rules and their successes."""
    admin = make_user("admin", username="fuzz")
    with secure_app.test_request_context():
        shift = shifts.open_shift(admin, 100_00)
        show = make_event(tiers=(("Inteira", 100_00, 50),), concession_tiers=(("Meia", 50_00, 20),))
        order = sell_now(admin, show, {0: 2}, [pix()])
        theatre = seated_show(name="Teatro com lugares", seats=grid(rows="AB", per_row=6))
    codes = [t.code for t in Ticket.objects(order_id=order.pk)]
    TOKENS.update(app=secure_app, user=admin, token=_token(secure_app, admin))
    known = {"events": [str(show.pk), str(theatre.pk)], "tiers": [str(t.pk) for t in tiers_of(show) + tiers_of(theatre)],
             "venues": [str(show.venue.pk)], "seats": ["A1", "A2", "B3"], "zones": ["A"],
             "orders": [order.number], "codes": codes, "shifts": [str(shift.pk)]}
    bind = {"path.event_id": "events", "body.event_id": "events", "query.event": "events",
            "path.tier_id": "tiers", "body.ticket_type_id": "tiers", "body.items[*].ticket_type_id": "tiers",
            "path.venue_id": "venues", "query.venue_id": "venues", "path.number": "orders", "path.code": "codes",
            "body.code": "codes", "body.ticket_codes[*]": "codes", "path.shift_id": "shifts",
            "body.seat_ids[*]": "seats", "body.zone": "zones"}
    yield {**CONFIG, "dictionaries": {name: {"values": values} for name, values in known.items()},
           "parameters": {key: {"dictionary": name, "probability": 0.5} for key, name in bind.items()}}
    TOKENS.clear()


@pytest.fixture
def api_schema(live_server, fuzzer):
    """The document as the app serves it (read with the admin's token)."""
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json",
                                         headers={"Authorization": f"Bearer {TOKENS['token']}"},
                                         config=SchemathesisConfig.from_dict(fuzzer))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_operation_keeps_its_contract(case):
    case.call_and_validate()
