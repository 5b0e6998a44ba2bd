"""Seats over the API: GET the show's seats, POST /holds with seat ids or best available, POST /orders with them."""
import uuid

import pytest

from tests.seating.factories import grid, seated_show, tier
from tests.seating.test_seat_sales import status
from tests.views.test_api import token_for
from webapp.models import Hold, ShowSeat


@pytest.fixture
def api(app, seller):
    c = app.test_client()
    return c, {"Authorization": f"Bearer {token_for(c, seller)}"}


def key(headers):
    return {**headers, "Idempotency-Key": str(uuid.uuid4())}


@pytest.fixture
def theatre(app):
    with app.test_request_context():
        return seated_show(seats=grid(rows="AB") + grid(rows="C", zone="B"), zones=(("A", "A"), ("B", "B")),
                           tiers=(("Inteira", 100_00, "A"), ("Balcão", 40_00, "B")), concession=(("Meia", 50_00, "A"),))


def test_the_seats_of_a_show_with_their_status(api, theatre):
    c, h = api
    ShowSeat.objects(event_id=theatre.pk, sid="A3").update(set__status="sold")
    items = c.get(f"/api/v1/events/{theatre.pk}/seats", headers=h).get_json()["items"]  # one page: the whole map
    assert len(items) == 30
    a3 = next(s for s in items if s["id"] == "A3")
    assert a3 == {"id": "A3", "label": "A3", "section": "Plateia", "row": "A", "number": "3", "zone": "A",
                  "status": "sold"}
    assert c.get("/api/v1/events/nope/seats", headers=h).status_code == 404
    assert c.get(f"/api/v1/events/{theatre.pk}/seats").status_code == 401


def test_hold_chosen_seats_then_sell_them_and_tickets_carry_their_seat(api, theatre):
    c, h = api
    held = c.post("/api/v1/holds", json={"event_id": str(theatre.pk), "seat_ids": ["B4", "B5"]}, headers=key(h))
    assert held.status_code == 201, held.get_json()
    hold = held.get_json()
    inteira = tier(theatre, "Inteira")
    assert hold["lines"] == [{"ticket_type_id": str(inteira.pk), "name": "Inteira", "quantity": 2}]
    assert sorted(hold["seat_ids"]) == ["B4", "B5"] and status(theatre, "B4", "B5") == ["held", "held"]
    again = c.post("/api/v1/holds", json={"event_id": str(theatre.pk), "seat_ids": ["B5", "B6"]}, headers=key(h))
    assert again.status_code == 409 and again.get_json()["error"] == "Lugares indisponíveis: Plateia · Fila B · Lugar 5 está reservado por outro guichê."
    sold = c.post("/api/v1/orders", headers={**h, "Idempotency-Key": str(uuid.uuid4())},
                  json={"event_id": str(theatre.pk), "hold_id": hold["id"], "payments": [{"method": "cash"}],
                        "items": [{"ticket_type_id": str(inteira.pk), "quantity": 2}]})
    assert sold.status_code == 201, sold.get_json()
    seats = sorted((t["seat"] for t in sold.get_json()["tickets"]), key=lambda s: s["id"])
    assert seats == [{"id": "B4", "label": "B4", "section": "Plateia", "row": "B", "number": "4"},
                     {"id": "B5", "label": "B5", "section": "Plateia", "row": "B", "number": "5"}]
    number = sold.get_json()["number"]
    assert c.get(f"/api/v1/orders/{number}", headers=h).get_json()["tickets"][0]["seat"]["row"] == "B"
    assert status(theatre, "B4", "B5") == ["sold", "sold"]


def test_best_available_hold_and_a_concession_tier_on_the_same_zone(api, theatre):
    c, h = api
    best = c.post("/api/v1/holds", json={"event_id": str(theatre.pk), "zone": "B", "quantity": 3,
                                         "best_available": True}, headers=key(h))
    assert best.status_code == 201, best.get_json()
    body = best.get_json()
    assert sorted(body["seat_ids"], key=lambda s: int(s[1:])) == ["C4", "C5", "C6"] and body["warning"] is None
    assert body["lines"][0]["name"] == "Balcão"
    meia = tier(theatre, "Meia")
    concession = c.post("/api/v1/holds", headers=key(h), json={"event_id": str(theatre.pk), "seat_ids": ["A1"],
                                                          "items": [{"ticket_type_id": str(meia.pk), "quantity": 1}]})
    assert concession.status_code == 201 and concession.get_json()["lines"][0]["name"] == "Meia"
    sold = c.post("/api/v1/orders", headers={**h, "Idempotency-Key": str(uuid.uuid4())},
                  json={"event_id": str(theatre.pk), "seat_ids": ["A9", "A10"], "payments": [{"method": "cash"}],
                        "items": [{"ticket_type_id": str(tier(theatre, "Inteira").pk), "quantity": 2}]})
    assert sold.status_code == 201 and {t["seat"]["id"] for t in sold.get_json()["tickets"]} == {"A9", "A10"}


@pytest.mark.parametrize("body, code", [
    ({"seat_ids": ["A1", "NOPE"]}, 404),
    ({"seat_ids": "A1"}, 400),
    ({"seat_ids": [1, 2]}, 400),
    ({"seat_ids": []}, 400),
    ({"zone": "A", "quantity": "four", "best_available": True}, 400),
    ({"zone": "Z", "quantity": 2, "best_available": True}, 404),
    ({"quantity": 2, "best_available": True}, 422),  # well-formed, but a rule needs the zone
    ({"zone": "A", "quantity": 999, "best_available": True}, 400),
])
def test_bad_seat_requests_are_4xx_with_a_message_and_hold_nothing(api, theatre, body, code):
    c, h = api
    response = c.post("/api/v1/holds", json={"event_id": str(theatre.pk), **body}, headers=key(h))
    assert response.status_code == code and response.get_json()["error"]
    assert Hold.objects.count() == 0 and ShowSeat.objects(status="held").count() == 0


def test_a_door_user_cannot_hold_seats(app, make_user, theatre):
    c = app.test_client()
    door = make_user("door")
    h = {"Authorization": f"Bearer {token_for(c, door)}"}
    assert c.post("/api/v1/holds", json={"event_id": str(theatre.pk), "seat_ids": ["A1"]},
                  headers=key(h)).status_code == 403


def test_a_seat_hold_repeated_with_its_key_is_the_same_hold(api, theatre):
    c, h = api
    headers = key(h)
    first = c.post("/api/v1/holds", json={"event_id": str(theatre.pk), "seat_ids": ["A1", "A2"]}, headers=headers)
    again = c.post("/api/v1/holds", json={"event_id": str(theatre.pk), "seat_ids": ["A2", "A1"]}, headers=headers)
    assert first.status_code == again.status_code == 201 and again.get_json()["id"] == first.get_json()["id"]
    other = c.post("/api/v1/holds", json={"event_id": str(theatre.pk), "seat_ids": ["A3"]}, headers=headers)
    assert other.status_code == 422 and Hold.objects.count() == 1
    assert status(theatre, "A1", "A2", "A3") == ["held", "held", "free"]
