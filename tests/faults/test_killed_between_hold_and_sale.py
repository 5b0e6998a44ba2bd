"""A web worker killed between the hold and the sale leaves a hold carrying the sale's Idempotency-Key: the
client's retry with that key sells against it, once, instead of being refused until the hold expires."""
import uuid

from tests.factories import tiers_of
from tests.views.test_api import token_for
from webapp.models import Hold, Inventory, Order
from webapp.services import sales


def test_the_retry_sells_against_the_dead_requests_hold_exactly_once(app, ctx, seller, show):
    tier = tiers_of(show)[0]
    key = str(uuid.uuid4())
    sales.hold_places(seller, event_id=str(show.pk), quantities={str(tier.pk): 2}, key=key)  # then the kill
    c = app.test_client()
    headers = {"Authorization": f"Bearer {token_for(c, seller)}", "Idempotency-Key": key}
    body = {"event_id": str(show.pk), "items": [{"ticket_type_id": str(tier.pk), "quantity": 2}],
            "payments": [{"method": "cash"}]}
    first = c.post("/api/v1/orders", json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    again = c.post("/api/v1/orders", json=body, headers=headers)
    assert again.get_json()["number"] == first.get_json()["number"] and Order.objects.count() == 1
    counter = Inventory.objects.get(pk=Inventory.tier_key(tier.pk))
    assert (counter.sold, counter.remaining) == (2, counter.quota - 2)  # the two places counted once
    assert Hold.objects(status="held").count() == 0
