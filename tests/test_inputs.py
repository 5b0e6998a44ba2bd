"""Incoming JSON is checked once (webapp/inputs.py): nesting depth and broken text are a 400 with a message."""
import json
import uuid

import pytest

from tests.factories import make_venue, tiers_of
from tests.test_robustness import _database
from tests.views.test_api import iso, token_for
from webapp.models import Order

TOO_DEEP = "O JSON está aninhado demais (no máximo 20 níveis)."
BROKEN_TEXT = "O texto enviado contém caracteres inválidos (um substituto UTF-16 partido)."


def nested(depth):
    return '{"a":' * depth + "1" + "}" * depth


@pytest.fixture
def seller_headers(app, seller):
    return {"Authorization": f"Bearer {token_for(app.test_client(), seller)}", "Idempotency-Key": str(uuid.uuid4())}


def sale_body(show, **extra):
    return {"event_id": str(show.pk), "items": [{"ticket_type_id": str(tiers_of(show)[0].pk), "quantity": 1}],
            "payments": [{"method": "cash", "tendered_cents": 100_00}], **extra}


def _refused(response, message):
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"] == message


@pytest.mark.parametrize("depth", [21, 1000, 100_000])
def test_json_nested_too_deep_is_a_400_on_login_and_sale(client, seller_headers, show, depth):
    """~1,000 levels made the parser's RecursionError a 500; 21 levels parse but are refused the same way."""
    before = _database()
    _refused(client.post("/api/v1/auth/login", data=nested(depth), content_type="application/json"), TOO_DEEP)
    _refused(client.post("/api/v1/orders", data=nested(depth), content_type="application/json",
                         headers=seller_headers), TOO_DEEP)
    deep_inside = json.dumps(sale_body(show))[:-1] + ', "customer": ' + nested(depth) + "}"
    _refused(client.post("/api/v1/orders", data=deep_inside, content_type="application/json",
                         headers=seller_headers), TOO_DEEP)
    assert _database() == before


def test_a_lone_surrogate_anywhere_in_json_is_a_400(app, client, seller_headers, show, make_user):
    r"""pymongo (and e-mail) cannot encode "a\ud800": it used to fail deep inside the sale or the login."""
    admin = {"Authorization": f"Bearer {token_for(app.test_client(), make_user('admin'))}"}
    venue = make_venue(name="Salão Cristal", capacity=100)
    before = _database()
    attempts = [
        ("/api/v1/auth/login", {}, '{"username": "a\\ud800", "password": "secret-pass"}'),
        ("/api/v1/auth/login", {}, '{"username": "nobody", "password": "x\\udfff"}'),
        ("/api/v1/orders", seller_headers, json.dumps(sale_body(show, customer={"name": "Ana \ud800"}))),
        ("/api/v1/orders", seller_headers, json.dumps(sale_body(show, customer={"\udc00": "key"}))),
        ("/api/v1/events", admin, json.dumps({"title": "Show \ud800", "venue_id": str(venue.pk),
                                              "starts_at": iso(5), "ends_at": iso(5, 2)})),
    ]
    for url, headers, body in attempts:
        _refused(client.post(url, data=body, content_type="application/json", headers=headers), BROKEN_TEXT)
    # The same as raw bytes: UTF-8 of a lone surrogate, and UTF-16 with a lone half.
    raw = json.dumps({"username": "a\ud800", "password": "p"}, ensure_ascii=False)
    for body in (raw.encode("utf-8", "surrogatepass"), raw.encode("utf-16-le", "surrogatepass")):
        _refused(client.post("/api/v1/auth/login", data=body, content_type="application/json"), BROKEN_TEXT)
    assert _database() == before


def test_real_text_outside_the_basic_plane_still_sells(client, seller_headers, show):
    """A surrogate *pair* is one character (🎭): only lone halves are refused."""
    body = '{"event_id": "%s", "items": [{"ticket_type_id": "%s", "quantity": 1}], "payments": [{"method": "cash"}],' \
           ' "customer": {"name": "Ana \\ud83c\\udfad"}}' % (show.pk, tiers_of(show)[0].pk)
    response = client.post("/api/v1/orders", data=body, content_type="application/json", headers=seller_headers)
    assert response.status_code == 201, response.get_json()
    assert Order.objects.get().customer.name == "Ana 🎭"
