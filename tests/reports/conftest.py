"""Fixtures for the dashboard and reports (the sale fixtures come from tests/sale_fixtures.py)."""
import pytest

from tests.factories import make_event


@pytest.fixture
def other_show(app):
    """A second show on sale: Pista R$ 80,00 (200) and VIP R$ 200,00 (20)."""
    return make_event(title="Rock no Cassino", tiers=(("Pista", 80_00, 200), ("VIP", 200_00, 20)), days_ahead=3)
