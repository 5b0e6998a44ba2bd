"""JSON API v1: Bearer tokens only, the catalog's rules, JSON errors {error, fields}, Swagger docs behind login."""
from datetime import timedelta

import pytest

from tests.factories import make_event, make_venue, tiers_of
from webapp.models import Event, Inventory, TicketType
from webapp.models.base import utcnow


def token_for(client, user, password="secret-pass"):
    response = client.post("/api/v1/auth/login", json={"username": user.username, "password": password})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


@pytest.fixture
def api(app, make_user):
    """api("admin") -> (client, headers) with a Bearer token for a new user of that role."""

    def make(role):
        c = app.test_client()
        return c, {"Authorization": f"Bearer {token_for(c, make_user(role))}"}

    return make


def iso(days, hours=0):
    return (utcnow() + timedelta(days=days, hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_event_and_ticket_type_crud_with_a_token(api):
    c, h = api("admin")
    venue = make_venue(capacity=200)
    r = c.post("/api/v1/events", headers=h, json={"title": "Jazz", "venue_id": str(venue.pk), "starts_at": iso(5),
                                                  "ends_at": iso(5, 2), "capacity": 150})
    assert r.status_code == 201, r.get_json()
    event = r.get_json()
    assert event["status"] == "draft" and event["capacity"] == 150 and event["remaining"] == 150
    r = c.post(f"/api/v1/events/{event['id']}/ticket-types", headers=h,
               json={"name": "Inteira", "price_cents": 123450, "quota": 100, "is_concession": False})
    assert r.status_code == 201, r.get_json()
    tier = r.get_json()
    assert tier["price_cents"] == 123450 and tier["remaining"] == 100
    r = c.patch(f"/api/v1/events/{event['id']}/ticket-types/{tier['id']}", headers=h, json={"quota": 80})
    assert r.status_code == 200 and r.get_json()["quota"] == 80 and r.get_json()["price_cents"] == 123450
    r = c.patch(f"/api/v1/events/{event['id']}", headers=h, json={"title": "Jazz ao Vivo", "status": "on_sale"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["title"] == "Jazz ao Vivo" and r.get_json()["status"] == "on_sale"
    assert r.get_json()["starts_at"] == event["starts_at"]  # untouched fields keep their values
    listed = c.get("/api/v1/events?q=jazz", headers=h).get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == event["id"]
    tiers = c.get(f"/api/v1/events/{event['id']}/ticket-types", headers=h).get_json()["items"]
    assert [t["name"] for t in tiers] == ["Inteira"]
    assert c.delete(f"/api/v1/events/{event['id']}", headers=h).status_code == 409  # on sale: cancel instead
    assert c.get("/api/v1/venues", headers=h).get_json()["items"][0]["capacity"] == 200


def test_draft_delete_and_tier_delete(api):
    c, h = api("admin")
    event = make_event(status="draft", tiers=(("A", 100, 10), ("B", 200, 10)))
    a, b = tiers_of(event)
    assert c.delete(f"/api/v1/events/{event.pk}/ticket-types/{a.pk}", headers=h).status_code == 204
    assert TicketType.objects(pk=a.pk).count() == 0
    assert c.delete(f"/api/v1/events/{event.pk}", headers=h).status_code == 204
    assert Event.objects.count() == 0 and Inventory.objects.count() == 0


@pytest.mark.parametrize("body, field", [
    ({"title": "", "starts_at": iso(5), "ends_at": iso(5, 2)}, "title"),
    ({"title": "x", "starts_at": "yesterday", "ends_at": iso(5, 2)}, "starts_at"),
    ({"title": "x", "starts_at": iso(-1), "ends_at": iso(-1, 2)}, "starts_at"),
    ({"title": "x", "starts_at": iso(5), "ends_at": iso(4)}, "ends_at"),
    ({"title": "x", "starts_at": iso(5), "ends_at": iso(5, 2), "capacity": "many"}, "capacity"),
    ({"title": "x", "starts_at": iso(5), "ends_at": iso(5, 2), "capacity": 10 ** 12}, "capacity"),
    ({"title": "x" * 10000, "starts_at": iso(5), "ends_at": iso(5, 2)}, "title"),
])
def test_bad_event_json_is_a_400_with_fields_and_nothing_saved(api, body, field):
    c, h = api("admin")
    venue = make_venue()
    r = c.post("/api/v1/events", headers=h, json={"venue_id": str(venue.pk), **body})
    # 400 when the schema refuses the body, 422 when a rule of the service does: both name the field.
    assert r.status_code in (400, 422) and field in r.get_json()["fields"], r.get_json()
    assert r.get_json()["error"]
    assert Event.objects.count() == 0


@pytest.mark.parametrize("body, field", [
    ({"name": "X", "price_cents": -1, "quota": 1}, "price_cents"),
    ({"name": "X", "price_cents": 10.5, "quota": 1}, "price_cents"),
    ({"name": "X", "price_cents": 10 ** 10, "quota": 1}, "price_cents"),
    ({"name": "X", "price_cents": 100, "quota": 301}, "quota"),
    ({"name": "X", "price_cents": 100, "quota": [1]}, "quota"),
])
def test_bad_tier_json_is_refused(api, body, field):
    c, h = api("admin")
    event = make_event(status="draft", tiers=())
    r = c.post(f"/api/v1/events/{event.pk}/ticket-types", headers=h, json=body)
    assert r.status_code in (400, 422) and field in r.get_json()["fields"], r.get_json()
    assert TicketType.objects.count() == 0


def test_lowering_quota_below_sold_is_a_409(api):
    c, h = api("admin")
    event = make_event(tiers=(("Inteira", 100, 50),))
    tier = tiers_of(event)[0]
    Inventory._get_collection().update_one({"_id": Inventory.tier_key(tier.pk)}, {"$inc": {"sold": 20, "remaining": -20}})
    r = c.patch(f"/api/v1/events/{event.pk}/ticket-types/{tier.pk}", headers=h, json={"quota": 10})
    assert r.status_code == 409 and "quota" in r.get_json()["fields"]
    counter = Inventory.objects.get(key=Inventory.tier_key(tier.pk))
    assert counter.sold + counter.remaining == counter.quota == 50


def test_lifecycle_refusal_is_json(api):
    c, h = api("admin")
    event = make_event(status="draft", tiers=())
    r = c.patch(f"/api/v1/events/{event.pk}", headers=h, json={"status": "on_sale"})
    assert r.status_code == 422 and "faixa" in r.get_json()["error"]


def test_not_found_and_garbage(api):
    c, h = api("admin")
    event, other = make_event(), make_event(title="Outro")
    for url in ("/api/v1/events/000000000000000000000000", "/api/v1/events/bad-id",
                f"/api/v1/events/{event.pk}/ticket-types/{tiers_of(other)[0].pk}"):
        r = c.patch(url, headers=h, json={"name": "x"})
        assert r.status_code == 404 and "error" in r.get_json(), url
    r = c.post("/api/v1/events", headers=h, data="not json", content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]
    assert c.get("/api/v1/events?page=abc", headers=h).status_code == 400


def test_roles_apply_to_the_api(api):
    event = make_event()
    for role in ("seller", "manager"):
        c, h = api(role)
        assert c.get(f"/api/v1/events/{event.pk}", headers=h).status_code == 200
        assert c.patch(f"/api/v1/events/{event.pk}", headers=h, json={"status": "cancelled"}).status_code == 403
        assert c.post("/api/v1/events", headers=h, json={}).status_code == 403
    c, h = api("door")
    assert c.get("/api/v1/events", headers=h).status_code == 403
    assert Event.objects.get(pk=event.pk).status == "on_sale"


def test_only_bearer_tokens_authenticate_the_api(app, client, logged_in, make_user):
    logged_in("admin")  # a signed-in browser session (cookie) ...
    assert client.get("/api/v1/events").status_code == 401  # ... is not accepted by the API: no CSRF risk
    assert client.post("/api/v1/events", json={}).status_code == 401
    assert client.get("/api/v1/events", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_token_is_revoked_with_the_session(app, make_user):
    from webapp.services.users import end_sessions

    user = make_user("admin")
    c = app.test_client()
    headers = {"Authorization": f"Bearer {token_for(c, user)}"}
    assert c.get("/api/v1/venues", headers=headers).status_code == 200
    with app.test_request_context():
        end_sessions(user)
    assert c.get("/api/v1/venues", headers=headers).status_code == 401


def test_bad_credentials_are_a_json_401(app, make_user):
    user = make_user("admin")
    c = app.test_client()
    r = c.post("/api/v1/auth/login", json={"username": user.username, "password": "wrong"})
    assert r.status_code == 401 and r.get_json()["error"]
    assert c.post("/api/v1/auth/login", json={"username": ["x"], "password": 1}).status_code == 401
    assert c.post("/api/v1/auth/login", json={"username": "x"}).status_code == 400
    assert c.post("/api/v1/auth/login", data="x").status_code == 400


def test_api_login_works_with_csrf_on_and_token_needs_no_csrf(secure_app, make_user):
    user = make_user("admin")
    c = secure_app.test_client()
    headers = {"Authorization": f"Bearer {token_for(c, user)}"}
    venue = make_venue()
    r = c.post("/api/v1/events", headers=headers, json={"title": "Com CSRF ligado", "venue_id": str(venue.pk),
                                                        "starts_at": iso(3), "ends_at": iso(3, 2)})
    assert r.status_code == 201


def test_swagger_docs_need_a_login(app, client, logged_in, make_user):
    assert client.get("/api/v1/openapi.json").status_code == 401
    assert client.get("/api/docs/").status_code in (302, 401)
    logged_in("seller")
    spec = client.get("/api/v1/openapi.json")  # with the browser's session
    assert spec.status_code == 200 and spec.get_json()["openapi"].startswith("3.")
    bearer = app.test_client()
    token = token_for(bearer, make_user("door"))
    assert bearer.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    paths = spec.get_json()["paths"]
    assert "/api/v1/events" in paths and "/api/v1/events/{event_id}/ticket-types" in paths
    assert all(p.startswith("/api/v1") for p in paths)
    assert client.get("/api/docs/").status_code == 200


def test_a_show_is_duplicated_on_another_date(api):
    c, h = api("admin")
    event = make_event(tiers=(("Inteira", 100_00, 10), ("VIP", 200_00, 5)))
    starts = iso(9)
    copy = c.post(f"/api/v1/events/{event.pk}/duplicate", headers=h, json={"starts_at": starts, "ends_at": iso(9, 2)})
    assert copy.status_code == 201, copy.get_json()
    assert copy.get_json()["status"] == "draft" and copy.get_json()["starts_at"] == starts
    assert [t["name"] for t in c.get(f"/api/v1/events/{copy.get_json()['id']}/ticket-types",
                                      headers=h).get_json()["items"]] == ["Inteira", "VIP"]
    past = c.post(f"/api/v1/events/{event.pk}/duplicate", headers=h, json={"starts_at": iso(-2), "ends_at": iso(-2, 2)})
    assert past.status_code == 422 and "starts_at" in past.get_json()["fields"]
    assert c.post(f"/api/v1/events/{event.pk}/duplicate", headers=h, json={"starts_at": iso(9)}).status_code == 400
    s, sh = api("seller")
    assert s.post(f"/api/v1/events/{event.pk}/duplicate", headers=sh,
                  json={"starts_at": iso(9), "ends_at": iso(9, 2)}).status_code == 403
    assert Event.objects.count() == 2
