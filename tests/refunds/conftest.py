"""Fixtures for voids/refunds: the sale's fixtures (real sell(), a seller with an open shift, real SMTP) reused."""
import pytest

from tests.sales.conftest import _closed_breaker, cash, sell, seller, show, smtp  # noqa: F401  (fixtures)
from webapp.services import shifts


@pytest.fixture
def manager(app, make_user):
    """A manager with an open shift (float R$ 500,00): cash refunds come out of this drawer."""
    user = make_user("manager")
    with app.test_request_context():
        shifts.open_shift(user, 500_00)
    return user


def card(code="AUTH1234"):
    return {"method": "card", "auth_code": code}
