"""Holds over the JSON API: POST /holds (409 when short), DELETE /holds/<id>, POST /orders with hold_id."""
import uuid

import pytest

from tests.factories import make_event, tiers_of
from tests.views.test_api import token_for
from webapp.models import Hold, Inventory, Order


@pytest.fixture
def seller_api(app, seller):
    c = app.test_client()
    return c, {"Authorization": f"Bearer {token_for(c, seller)}"}


def _left(tier):
    return Inventory.objects.get(key=Inventory.tier_key(tier.pk)).remaining


def test_hold_then_sell_with_the_hold(seller_api, show):
    c, h = seller_api
    tier = tiers_of(show)[0]
    items = [{"ticket_type_id": str(tier.pk), "quantity": 2}]
    key = {**h, "Idempotency-Key": str(uuid.uuid4())}
    held = c.post("/api/v1/holds", json={"event_id": str(show.pk), "items": items}, headers=key)
    assert held.status_code == 201, held.get_json()
    hold = held.get_json()
    assert hold["expires_at"].endswith("Z") and hold["lines"] == [
        {"ticket_type_id": str(tier.pk), "name": "Inteira", "quantity": 2}]
    assert _left(tier) == 98
    again = c.post("/api/v1/holds", json={"event_id": str(show.pk), "items": items}, headers=key)
    assert again.status_code == 201 and again.get_json()["id"] == hold["id"] and _left(tier) == 98  # a retry
    other = c.post("/api/v1/holds", json={"event_id": str(show.pk), "items": [{**items[0], "quantity": 1}]}, headers=key)
    assert other.status_code == 422 and _left(tier) == 98  # the same key for another request
    sold = c.post("/api/v1/orders", headers={**h, "Idempotency-Key": str(uuid.uuid4())},
                  json={"event_id": str(show.pk), "items": items, "payments": [{"method": "cash"}],
                        "hold_id": hold["id"]})
    assert sold.status_code == 201, sold.get_json()
    assert _left(tier) == 98 and Hold.objects.get().status == "sold"
    assert c.delete(f"/api/v1/holds/{hold['id']}", headers=h).status_code == 409  # sold: void or refund instead


def test_a_hold_for_more_than_is_left_is_a_409_and_delete_gives_back(seller_api, ctx):
    c, h = seller_api
    event = make_event(title="Pequeno", capacity=50, tiers=(("Pista", 10_00, 3),))
    tier = tiers_of(event)[0]
    body = {"event_id": str(event.pk), "items": [{"ticket_type_id": str(tier.pk), "quantity": 2}]}
    first = c.post("/api/v1/holds", json=body, headers={**h, "Idempotency-Key": str(uuid.uuid4())}).get_json()
    short = c.post("/api/v1/holds", json=body, headers={**h, "Idempotency-Key": str(uuid.uuid4())})
    assert short.status_code == 409 and short.get_json()["error"] == "Só resta 1: Pista."
    assert c.delete(f"/api/v1/holds/{first['id']}", headers=h).status_code == 204
    assert c.delete(f"/api/v1/holds/{first['id']}", headers=h).status_code == 204  # twice: no error
    assert _left(tier) == 3
    assert c.delete("/api/v1/holds/nope", headers=h).status_code == 404
    assert c.post("/api/v1/holds", json={"event_id": str(event.pk), "items": "x"},
                  headers={**h, "Idempotency-Key": str(uuid.uuid4())}).status_code == 400
    assert c.post("/api/v1/holds", json=body, headers=h).status_code == 400  # no Idempotency-Key
    assert Order.objects.count() == 0
