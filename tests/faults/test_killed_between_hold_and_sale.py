"""A web worker killed between the hold and the sale leaves a hold carrying the sale's Idempotency-Key: the
client's retry with that key sells against it, once, instead of being refused until the hold expires."""
import uuid

from tests.factories import tiers_of
from tests.views.test_api import token_for
from webapp.models import Hold, Inventory, Order
from webapp.services import sales


def _api_sale(app, seller, show, tier, quantity, key):
    """post() -> the API's answer to selling `quantity` of `tier` for cash with this Idempotency-Key."""
    c = app.test_client()
    headers = {"Authorization": f"Bearer {token_for(c, seller)}", "Idempotency-Key": key}
    body = {"event_id": str(show.pk), "items": [{"ticket_type_id": str(tier.pk), "quantity": quantity}],
            "payments": [{"method": "cash"}]}
    return lambda: c.post("/api/v1/orders", json=body, headers=headers)


def test_the_retry_sells_against_the_dead_requests_hold_exactly_once(app, ctx, seller, show):
    tier = tiers_of(show)[0]
    key = str(uuid.uuid4())
    sales.hold_places(seller, event_id=str(show.pk), quantities={str(tier.pk): 2}, key=key)  # then the kill
    post = _api_sale(app, seller, show, tier, 2, key)
    first = post()
    assert first.status_code == 201, first.get_json()
    again = post()
    assert again.get_json()["number"] == first.get_json()["number"] and Order.objects.count() == 1
    counter = Inventory.objects.get(pk=Inventory.tier_key(tier.pk))
    assert (counter.sold, counter.remaining) == (2, counter.quota - 2)  # the two places counted once
    assert Hold.objects(status="held").count() == 0


def test_a_hold_left_half_taken_by_a_dead_request_gives_its_places_back_and_the_retry_sells(app, ctx, seller, show):
    from datetime import timedelta

    from webapp.models.base import utcnow

    tier = tiers_of(show)[0]
    key = str(uuid.uuid4())
    hold = sales.hold_places(seller, event_id=str(show.pk), quantities={str(tier.pk): 3}, key=key)
    # Its request timed out (a frozen primary) between taking the places and marking the hold held, a minute ago.
    Hold.objects(pk=hold.pk).update_one(set__status="taking", set__created_at=utcnow() - timedelta(minutes=1))
    post = _api_sale(app, seller, show, tier, 3, key)
    sold = post()
    assert sold.status_code == 201, sold.get_json()
    counter = Inventory.objects.get(pk=Inventory.tier_key(tier.pk))
    assert (counter.sold, counter.remaining) == (3, counter.quota - 3)
    assert Hold.objects(status__in=["taking", "held"]).count() == 0 and Order.objects.count() == 1


def test_a_retry_while_the_first_try_is_still_taking_its_hold_is_told_to_try_again(app, ctx, seller, show,
                                                                                    monkeypatch):
    """The dead (or slow) first try's hold is still "taking": the retry waits a little, then answers 503 with
    Retry-After and sells nothing (a 409 read as final by careful clients lost the sale in fault 5)."""
    monkeypatch.setattr(sales, "TWIN_WAIT_SECONDS", 0.2)
    tier = tiers_of(show)[0]
    key = str(uuid.uuid4())
    hold = sales.hold_places(seller, event_id=str(show.pk), quantities={str(tier.pk): 2}, key=key)
    Hold.objects(pk=hold.pk).update_one(set__status="taking")  # its request is mid-take (or died there just now)
    post = _api_sale(app, seller, show, tier, 2, key)
    busy = post()
    assert busy.status_code == 503, busy.get_json()
    assert busy.headers["Retry-After"] == "2" and "Tente de novo" in busy.get_json()["error"]
    assert Order.objects.count() == 0
    assert Hold.objects.get(pk=hold.pk).status == "taking"  # not given back under a request that may live on
