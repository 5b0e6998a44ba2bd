"""Selling over the JSON API: same service, Idempotency-Key, JSON errors."""
import uuid

import pytest

from tests.factories import tiers_of
from tests.views.test_api import token_for
from webapp.models import Order, Ticket
from webapp.services import shifts


@pytest.fixture
def seller_api(app, seller):
    c = app.test_client()
    return c, {"Authorization": f"Bearer {token_for(c, seller)}"}


def test_sell_over_the_api_once_per_key(seller_api, show):
    c, h = seller_api
    tier, meia = tiers_of(show)
    body = {"event_id": str(show.pk), "items": [{"ticket_type_id": str(tier.pk), "quantity": 2},
                                                 {"ticket_type_id": str(meia.pk), "quantity": 1, "documents": ["9876543"]}],
            "payments": [{"method": "pix", "reference": "E2E-0001"}], "customer": {"email": "api@example.com"},
            "unit_price_cents": 1}
    headers = {**h, "Idempotency-Key": str(uuid.uuid4())}
    first = c.post("/api/v1/orders", json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    order = first.get_json()
    assert order["total_cents"] == 250_00 and len(order["tickets"]) == 3 and order["status"] == "pending"
    again = c.post("/api/v1/orders", json=body, headers=headers)
    assert again.get_json()["number"] == order["number"] and Order.objects.count() == 1
    assert c.get(f"/api/v1/orders/{order['number']}", headers=h).get_json()["total_cents"] == 250_00
    code = order["tickets"][0]["code"]
    assert c.get(f"/api/v1/tickets/{code}", headers=h).get_json()["status"] == "valid"
    assert c.get("/api/v1/tickets/nope", headers=h).status_code == 404


def test_api_refusals_are_json(seller_api, show, seller, ctx):
    c, h = seller_api
    tier = tiers_of(show)[0]
    key = {**h, "Idempotency-Key": str(uuid.uuid4())}
    missing_key = c.post("/api/v1/orders", json={"event_id": str(show.pk)}, headers=h)
    assert missing_key.status_code == 400 and missing_key.get_json()["error"]
    bad_shape = c.post("/api/v1/orders", json={"event_id": str(show.pk), "items": "lots"}, headers=key)
    assert bad_shape.status_code == 400
    too_many = c.post("/api/v1/orders", headers=key, json={
        "event_id": str(show.pk), "items": [{"ticket_type_id": str(tier.pk), "quantity": 101}],
        "payments": [{"method": "cash"}]})
    assert too_many.status_code == 400 and too_many.get_json()["fields"]
    shifts.close_shift(seller, shifts.current_shift(seller), 100_00)
    no_shift = c.post("/api/v1/orders", headers=key, json={
        "event_id": str(show.pk), "items": [{"ticket_type_id": str(tier.pk), "quantity": 1}],
        "payments": [{"method": "cash"}]})
    assert no_shift.status_code == 422 and "turno" in no_shift.get_json()["error"]  # a rule, not the shape
    assert Order.objects.count() == 0


def test_two_items_of_one_ticket_type_add_up(seller_api, show):
    c, h = seller_api
    tier, meia = tiers_of(show)
    body = {"event_id": str(show.pk), "payments": [{"method": "pix", "reference": "E2E-0002"}],
            "items": [{"ticket_type_id": str(tier.pk), "quantity": 1},
                      {"ticket_type_id": str(meia.pk), "quantity": 1, "documents": ["111.222"]},
                      {"ticket_type_id": str(tier.pk), "quantity": 2},
                      {"ticket_type_id": str(meia.pk), "quantity": 1, "documents": ["333-444"]}]}
    response = c.post("/api/v1/orders", json=body, headers={**h, "Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    assert order["total_cents"] == 3 * 100_00 + 2 * 50_00 and len(order["tickets"]) == 5
    assert {line["name"]: line["quantity"] for line in order["lines"]} == {"Inteira": 3, "Meia": 2}
    assert {t.holder_document for t in Ticket.objects(tier_name="Meia")} == {"111.222", "333-444"}

    body["items"][2]["quantity"] = "2"  # a malformed repeat is still refused, never summed into something valid
    bad = c.post("/api/v1/orders", json=body, headers={**h, "Idempotency-Key": str(uuid.uuid4())})
    assert bad.status_code == 400 and "items.2.quantity" in bad.get_json()["fields"]
    assert Order.objects.count() == 1


def test_a_reused_idempotency_key_with_another_body_is_a_422(seller_api, show):
    """It used to answer with the first order, as if the second sale had been made."""
    from tests.test_robustness import _database

    c, h = seller_api
    tier = tiers_of(show)[0]
    headers = {**h, "Idempotency-Key": str(uuid.uuid4())}
    body = {"event_id": str(show.pk), "items": [{"ticket_type_id": str(tier.pk), "quantity": 2}],
            "payments": [{"method": "card", "auth_code": "AUTH-1"}], "customer": {"name": "Ana"}}
    first = c.post("/api/v1/orders", json=body, headers=headers).get_json()
    # The same request with its keys in another order, nulls and an unknown field: the same order.
    same = {"customer": {"name": "Ana", "email": None}, "payments": [{"auth_code": "AUTH-1", "method": "card",
                                                                      "reference": None}],
            "items": [{"quantity": 2, "ticket_type_id": str(tier.pk)}], "event_id": str(show.pk), "note": "retry"}
    again = c.post("/api/v1/orders", json=same, headers=headers)
    assert again.status_code == 201 and again.get_json()["number"] == first["number"]
    before = _database()
    for changed in ({"items": [{"ticket_type_id": str(tier.pk), "quantity": 3}]},
                    {"payments": [{"method": "card", "auth_code": "AUTH-2"}]}, {"customer": {"name": "Bia"}}):
        response = c.post("/api/v1/orders", json={**body, **changed}, headers=headers)
        assert response.status_code == 422, response.get_json()
        assert first["number"] in response.get_json()["error"] and "chave nova" in response.get_json()["error"]
    assert _database() == before
