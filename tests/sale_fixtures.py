"""Sale fixtures shared by the suite: a seller and a manager with open shifts, a show, real sales, a real SMTP server."""
import time
import uuid
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from localstack import processes
from tests.factories import make_event, tiers_of
from webapp.services import outbox, sales, shifts


@pytest.fixture
def seller(app, make_user):
    """A seller with an open shift (float R$ 100,00)."""
    user = make_user("seller", comp_allowance=2)
    with app.test_request_context():
        shifts.open_shift(user, 100_00)
    return user


@pytest.fixture
def manager(app, make_user):
    """A manager with an open shift (float R$ 500,00): refunds and exchanges go through this drawer."""
    user = make_user("manager")
    with app.test_request_context():
        shifts.open_shift(user, 500_00)
    return user


@pytest.fixture
def show(app):
    """A show on sale: Inteira R$ 100,00 (100) and a Meia (concession) R$ 50,00 (50)."""
    return make_event(tiers=(("Inteira", 100_00, 100),), concession_tiers=(("Meia", 50_00, 50),))


def cash(tendered=None, amount=None):
    return {"method": "cash", "amount_cents": amount, "tendered_cents": tendered}


def card(code="AUTH1234"):
    return {"method": "card", "auth_code": code}


def pix(reference="PIX-0001"):
    return {"method": "pix", "reference": reference}


def sell_now(user, event, quantities, payments, **kw):
    """One real sale: quantities {tier index: qty}."""
    tiers = tiers_of(event)
    return sales.sell(user, event_id=str(event.pk), quantities={str(tiers[i].pk): q for i, q in quantities.items()},
                      payments=payments, idempotency_key=str(uuid.uuid4()), **kw)


@pytest.fixture
def sell(ctx, show):
    """sell(user, {tier_index_or_id: qty}, payments=[...], **kw) → Order, through the real service."""

    def run(user, quantities=None, payments=None, event=None, key=None, **kw):
        event = event or show
        tiers = tiers_of(event)
        quantities = {str(tiers[k].pk) if isinstance(k, int) else str(k): v for k, v in (quantities or {0: 1}).items()}
        return sales.sell(user, event_id=str(event.pk), quantities=quantities,
                          payments=[cash()] if payments is None else payments,
                          idempotency_key=key or str(uuid.uuid4()), **kw)

    return run


class _Inbox:
    def __init__(self):
        self.messages = []
        self.refused = set()  # addresses this server refuses, as for a mailbox that does not exist

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait(self, count=1, timeout=5):
        deadline = time.time() + timeout
        while len(self.messages) < count and time.time() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server (aiosmtpd) on a free port; the app's mail settings point at it."""
    inbox = _Inbox()
    port = processes.free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setenv("MAIL_PORT", str(port))
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def _closed_breaker(app, monkeypatch):
    """Each test starts with the relay's circuit breaker closed and retries without waiting."""
    outbox.breaker.close()
    monkeypatch.setitem(app.config, "CONFIRM_RETRY_INTERVALS", [0, 0])
    monkeypatch.setitem(app.config, "OUTBOX_ENQUEUE_WAIT", 0)
    yield
    outbox.breaker.close()
