"""Fixtures for the dashboard and reports: real sales through the sale service, a manager with a shift."""
import uuid

import pytest

from tests.factories import make_event, tiers_of
from tests.sales.conftest import _closed_breaker, cash, sell, seller, show, smtp  # noqa: F401  (fixtures)
from webapp.services import sales, shifts


@pytest.fixture
def manager(app, make_user):
    """A manager with an open shift (float R$ 500,00): refunds and exchanges go through this drawer."""
    user = make_user("manager")
    with app.test_request_context():
        shifts.open_shift(user, 500_00)
    return user


@pytest.fixture
def other_show(app):
    """A second show on sale: Pista R$ 80,00 (200) and VIP R$ 200,00 (20)."""
    return make_event(title="Rock no Cassino", tiers=(("Pista", 80_00, 200), ("VIP", 200_00, 20)), days_ahead=3)


def sell_now(user, event, quantities, payments, **kw):
    """One real sale: quantities {tier index: qty}."""
    tiers = tiers_of(event)
    return sales.sell(user, event_id=str(event.pk), quantities={str(tiers[i].pk): q for i, q in quantities.items()},
                      payments=payments, idempotency_key=str(uuid.uuid4()), **kw)


def card(code="AUTH1234"):
    return {"method": "card", "auth_code": code}


def pix(reference="PIX-0001"):
    return {"method": "pix", "reference": reference}
