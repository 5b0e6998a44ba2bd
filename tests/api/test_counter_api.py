"""Shifts, the door (check-ins, undo, counters), venues and reports over the API."""
from datetime import timedelta

from tests.api.conftest import keyed
from tests.factories import make_event
from webapp.models import AuthSession, Shift, Ticket, Venue
from webapp.models.base import utcnow


def test_a_shift_opens_once_and_closes_with_the_cash_counted(bearer, make_user, sell, show):
    seller = make_user("seller")
    c, h = bearer(seller)
    assert c.get("/api/v1/shifts/current", headers=h).status_code == 404
    assert c.post("/api/v1/shifts", json={"opening_float_cents": -1}, headers=keyed(h)).status_code == 400
    assert c.post("/api/v1/shifts", json={"opening_float_cents": "100"}, headers=keyed(h)).status_code == 400
    headers = keyed(h)
    opened = c.post("/api/v1/shifts", json={"opening_float_cents": 100_00}, headers=headers)
    assert opened.status_code == 201, opened.get_json()
    shift = opened.get_json()
    repeat = c.post("/api/v1/shifts", json={"opening_float_cents": 100_00}, headers=headers)
    assert repeat.status_code == 201 and repeat.get_json()["id"] == shift["id"]  # a retry: the same answer
    assert c.post("/api/v1/shifts", json={"opening_float_cents": 50_00}, headers=headers).status_code == 422
    assert c.post("/api/v1/shifts", json={"opening_float_cents": 100_00}, headers=keyed(h)).status_code == 409
    assert Shift.objects(seller_id=seller.pk).count() == 1
    sell(seller, {0: 1}, payments=[{"method": "cash", "tendered_cents": 100_00}])
    current = c.get("/api/v1/shifts/current", headers=h).get_json()
    assert current["id"] == shift["id"] and current["expected_cash_cents"] == 200_00
    other, oh = bearer(make_user("seller"))
    assert other.get(f"/api/v1/shifts/{shift['id']}", headers=oh).status_code == 403
    close = keyed(h)
    closed = c.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted_cash_cents": 195_00}, headers=close)
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["status"] == "closed" and closed.get_json()["difference_cents"] == -5_00
    assert c.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted_cash_cents": 195_00},
                  headers=close).get_json()["closed_at"] == closed.get_json()["closed_at"]
    assert c.post(f"/api/v1/shifts/{shift['id']}/close", json={"counted_cash_cents": 195_00},
                  headers=keyed(h)).status_code == 409
    d, dh = bearer(make_user("door"))
    assert d.post("/api/v1/shifts", json={"opening_float_cents": 0}, headers=keyed(dh)).status_code == 403


def test_check_in_admits_once_and_refuses_with_the_door_reasons(bearer, make_user, sell, seller, show):
    order = sell(seller, {0: 2})
    first, second = [t.code for t in Ticket.objects(order_id=order.pk).order_by("id")]
    c, h = bearer(make_user("door", name="Porteiro"))
    scan = keyed(h)
    admitted = c.post("/api/v1/checkins", json={"code": first, "gate": "Porta A"}, headers=scan)
    assert admitted.status_code == 200, admitted.get_json()
    assert admitted.get_json()["admitted"] is True and admitted.get_json()["ticket"]["gate"] == "Porta A"
    retry = c.post("/api/v1/checkins", json={"code": first, "gate": "Porta A"}, headers=scan)
    assert retry.get_json()["admitted"] is True  # the scanner's retry is told what happened, not "already used"
    used = c.post("/api/v1/checkins", json={"code": first, "gate": "Porta B", "event_id": str(show.pk)},
                  headers=keyed(h)).get_json()
    assert used["admitted"] is False and used["reason"] == "used" and "Porta A" in used["message"]
    unknown = c.post("/api/v1/checkins", json={"code": "NOPE-NOPE", "gate": "Porta A"}, headers=keyed(h)).get_json()
    assert unknown["reason"] == "unknown" and unknown["ticket"] is None
    other = make_event(title="Outro show")
    elsewhere = c.post("/api/v1/checkins", json={"code": second, "gate": "Porta A", "event_id": str(other.pk)},
                       headers=keyed(h)).get_json()
    assert elsewhere["reason"] == "other_show" and Ticket.objects.get(code=second).status == "valid"
    assert c.post("/api/v1/checkins", json={"code": second, "gate": " "}, headers=keyed(h)).status_code == 422
    assert c.post("/api/v1/checkins", json={"code": second}, headers=keyed(h)).status_code == 400
    assert c.post("/api/v1/checkins", json={"code": second, "gate": "A"}, headers=h).status_code == 400  # no key
    counts = c.get(f"/api/v1/events/{show.pk}/door", headers=h).get_json()
    assert counts == {"sold": 2, "admitted": 1, "gates": [{"gate": "Porta A", "admitted": 1}]}
    s, sh = bearer(make_user("seller"))
    assert s.post("/api/v1/checkins", json={"code": second, "gate": "A"}, headers=keyed(sh)).status_code == 403


def test_only_a_manager_signed_in_recently_undoes_an_admission(bearer, make_user, sell, seller, manager, show):
    code = Ticket.objects(order_id=sell(seller, {0: 1}).pk).first().code
    d, dh = bearer(make_user("door"))
    d.post("/api/v1/checkins", json={"code": code, "gate": "Porta A"}, headers=keyed(dh))
    body = {"code": code, "event_id": str(show.pk), "reason": "Saiu para buscar o documento"}
    assert d.post("/api/v1/checkins/undo", json=body, headers=keyed(dh)).status_code == 403
    c, h = bearer(manager)
    assert c.post("/api/v1/checkins/undo", json={**body, "reason": ""}, headers=keyed(h)).status_code == 422
    undone = c.post("/api/v1/checkins/undo", json=body, headers=keyed(h))
    assert undone.status_code == 200 and undone.get_json()["status"] == "valid"
    assert c.post("/api/v1/checkins/undo", json=body, headers=keyed(h)).status_code == 409  # nothing to undo
    d.post("/api/v1/checkins", json={"code": code, "gate": "Porta A"}, headers=keyed(dh))
    AuthSession.objects(user_id=manager.pk).update(set__fresh_at=utcnow() - timedelta(hours=1))
    assert c.post("/api/v1/checkins/undo", json=body, headers=keyed(h)).status_code == 403
    assert Ticket.objects.get(code=code).status == "used"


def test_venues_by_admins_read_by_every_reader(bearer, make_user):
    c, h = bearer(make_user("admin"))
    created = c.post("/api/v1/venues", json={"name": "Sala Jade", "capacity": 120}, headers=h)
    assert created.status_code == 201, created.get_json()
    venue = created.get_json()
    assert venue["kind"] == "general" and venue["timezone"] == "America/Sao_Paulo"
    assert c.post("/api/v1/venues", json={"name": "Sala Jade", "capacity": 10}, headers=h).status_code == 422
    assert c.post("/api/v1/venues", json={"name": "X", "capacity": 10, "timezone": "Mars/Base"},
                  headers=h).status_code == 422
    assert c.post("/api/v1/venues", json={"name": "X", "capacity": True}, headers=h).status_code == 400
    changed = c.patch(f"/api/v1/venues/{venue['id']}", json={"capacity": 150}, headers=h).get_json()
    assert changed["capacity"] == 150 and changed["name"] == "Sala Jade"
    s, sh = bearer(make_user("seller"))
    assert s.get(f"/api/v1/venues/{venue['id']}", headers=sh).get_json()["capacity"] == 150
    assert s.post("/api/v1/venues", json={"name": "Y", "capacity": 10}, headers=sh).status_code == 403
    assert s.get("/api/v1/venues/nope", headers=sh).status_code == 404
    assert Venue.objects.count() == 1


def test_reports_as_json_for_managers(bearer, make_user, sell, seller, show):
    sell(seller, {0: 2})
    c, h = bearer(make_user("manager"))
    report = c.get("/api/v1/reports/sales", headers=h)
    assert report.status_code == 200, report.get_json()
    body = report.get_json()
    assert body["totals"]["gross_cents"] == 200_00 and body["items"][0]["sold"] == 2
    assert {"key": "gross_cents", "kind": "money"}.items() <= next(
        col for col in body["columns"] if col["key"] == "gross_cents").items()
    shifts = c.get("/api/v1/reports/shifts", headers=h).get_json()
    assert shifts["items"][0]["opened_at"].endswith("Z")
    assert c.get("/api/v1/reports/sales?start=2025-02-30", headers=h).status_code == 400
    assert c.get("/api/v1/reports/sales?start=2025-03-02&end=2025-03-01", headers=h).status_code == 422
    assert c.get("/api/v1/reports/nope", headers=h).status_code == 404
    s, sh = bearer(seller)
    assert s.get("/api/v1/reports/sales", headers=sh).status_code == 403


def test_the_readmes_sale_and_check_in(app, make_user, show):
    """README "Using the API": a seller sells by token, then a door device's token checks a ticket in."""
    from webapp.services.devices import create_device

    make_user("seller", username="caixa")
    c = app.test_client()
    token = c.post("/api/v1/auth/login", json={"username": "caixa", "password": "secret-pass"}).get_json()["token"]
    h = {"Authorization": f"Bearer {token}"}
    assert c.post("/api/v1/shifts", json={"opening_float_cents": 10000}, headers=keyed(h)).status_code == 201
    event = c.get("/api/v1/events?status=on_sale", headers=h).get_json()["items"][0]["id"]
    tier = c.get(f"/api/v1/events/{event}/ticket-types", headers=h).get_json()["items"][0]["id"]
    order = c.post("/api/v1/orders", headers=keyed(h), json={
        "event_id": event, "items": [{"ticket_type_id": tier, "quantity": 2}],
        "payments": [{"method": "pix", "reference": "E2E-12345"}], "customer": {"email": "ana@example.com"}})
    assert order.status_code == 201, order.get_json()
    with app.test_request_context():
        _device, device_token = create_device(make_user("admin"), "Catraca 1", "door")
    scanner = {"Authorization": f"Bearer {device_token}"}
    code = order.get_json()["tickets"][0]["code"]
    answer = c.post("/api/v1/checkins", headers=keyed(scanner), json={"code": code, "gate": "Porta A"}).get_json()
    assert answer["admitted"] is True and answer["reason"] == "admitted"
    again = c.post("/api/v1/checkins", headers=keyed(scanner), json={"code": code, "gate": "Porta A"}).get_json()
    assert again["reason"] == "used"
    counts = c.get(f"/api/v1/events/{event}/door", headers=scanner).get_json()
    assert counts["sold"] == 2 and counts["admitted"] == 1 and counts["gates"][0]["gate"] == "Porta A"
