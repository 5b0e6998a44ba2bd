"""A transaction orphaned by a killed web worker: the seller's sale waits a bounded while, answers a 503 that says
nothing was saved (never a 500), and the same Idempotency-Key sells exactly once once the orphan is gone."""
import time
import uuid

import pytest
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from tests.factories import tiers_of
from tests.views.test_api import token_for
from webapp import db
from webapp.models import Order, Shift


@pytest.fixture
def orphan(app, seller, ctx):
    """An open transaction that wrote the seller's shift, as a gunicorn worker SIGKILLed mid-sale leaves it."""
    session = db.client().start_session()
    session.start_transaction(read_concern=ReadConcern("snapshot"), write_concern=WriteConcern("majority"))
    shift = Shift.objects.get(seller_id=seller.pk, status="open")
    Shift._get_collection().update_one({"_id": shift.pk}, {"$inc": {"comps_given": 1}}, session=session)
    yield session
    if session.in_transaction:
        session.abort_transaction()
    session.end_session()


@pytest.fixture
def short_transactions(app, monkeypatch):
    monkeypatch.setitem(app.config, "MONGODB_TRANSACTION_SECONDS", 1.5)


def _sale(show):
    return {"event_id": str(show.pk), "items": [{"ticket_type_id": str(tiers_of(show)[0].pk), "quantity": 1}],
            "payments": [{"method": "cash"}]}


def test_a_sale_blocked_by_an_orphaned_transaction_is_a_quick_503_then_one_order(app, seller, show, orphan,
                                                                                 short_transactions):
    c = app.test_client()
    headers = {"Authorization": f"Bearer {token_for(c, seller)}", "Idempotency-Key": str(uuid.uuid4())}
    started = time.monotonic()
    blocked = c.post("/api/v1/orders", json=_sale(show), headers=headers)
    waited = time.monotonic() - started
    assert blocked.status_code == 503, blocked.get_data(as_text=True)
    assert "Nada foi salvo" in blocked.get_json()["error"] and blocked.headers["Retry-After"]
    assert waited < 5, f"the request waited {waited:.1f} s on the orphan"
    assert Order.objects.count() == 0
    orphan.abort_transaction()  # what mongod does at transactionLifetimeLimitSeconds
    retried = c.post("/api/v1/orders", json=_sale(show), headers=headers)
    assert retried.status_code == 201, retried.get_json()
    assert c.post("/api/v1/orders", json=_sale(show), headers=headers).get_json()["number"] == \
        retried.get_json()["number"]
    assert Order.objects.count() == 1


def test_the_counter_page_says_the_same_in_its_message_area(app, client, seller, show, orphan, short_transactions):
    from tests.conftest import login_as

    login_as(client, seller)
    tier = tiers_of(show)[0]
    page = client.post(f"/sell/{show.pk}", headers={"HX-Request": "true"}, data={
        "key": str(uuid.uuid4()), f"qty-{tier.pk}": "1", "cash_tendered": "100,00"})
    assert page.status_code == 503 and page.headers["HX-Retarget"] == "#flashes"
    assert "Nada foi salvo" in page.get_data(as_text=True) and Order.objects.count() == 0


def test_a_timeout_while_checking_the_token_is_a_503_too(app, seller, monkeypatch):
    """The deadline can pass in the sign-in check itself; the error page must not ask the database again."""
    from pymongo.errors import NetworkTimeout

    from webapp.services import sessions

    c = app.test_client()
    token = token_for(c, seller)

    def frozen_primary(*args, **kwargs):
        raise NetworkTimeout("127.0.0.1:27017: timed out")

    monkeypatch.setattr(sessions, "resume", frozen_primary)
    answer = c.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 503 and "Nada foi salvo" in answer.get_json()["error"]
