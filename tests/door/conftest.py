"""Door fixtures: a show on sale with sold tickets, door staff."""
import pytest

from tests.factories import make_event

from . import factories


@pytest.fixture(autouse=True)
def _factories_app(app):
    factories.APP["app"] = app


@pytest.fixture
def show(app):
    """A show on sale tonight-ish: Inteira R$ 100,00 (100 tickets)."""
    return make_event(title="Noite de Samba", tiers=(("Inteira", 100_00, 100),), days_ahead=0)


@pytest.fixture
def other_show(app):
    return make_event(title="Jazz no Salão", tiers=(("Pista", 80_00, 50),), days_ahead=3)
