"""Orders found, voided, refunded and exchanged over the API: the order page's services, roles and repeats."""
from datetime import timedelta

from tests.api.conftest import keyed
from tests.factories import make_event, tiers_of
from tests.sale_fixtures import cash
from webapp.models import AuthSession, Order, Shift, Ticket
from webapp.models.base import utcnow


def test_orders_are_found_by_number_name_document_and_code(bearer, sell, seller, make_user, show):
    order = sell(seller, {0: 1, 1: 1}, documents={str(tiers_of(show)[1].pk): ["12345678"]},
                 customer={"name": "João da Silva", "email": "joao@example.com"})
    code = Ticket.objects(order_id=order.pk).first().code
    c, h = bearer(seller)
    for q in (order.number, "joao sil", "12345678", code, "joao@example.com"):
        found = c.get("/api/v1/orders", query_string={"q": q}, headers=h).get_json()
        assert [o["number"] for o in found["items"]] == [order.number], q
    assert c.get("/api/v1/orders", query_string={"q": "ninguém"}, headers=h).get_json()["total"] == 0
    mine = c.get("/api/v1/orders", headers=h).get_json()  # no q: the caller's recent sales
    assert mine["items"][0]["number"] == order.number and mine["page"] == 1 and mine["per_page"] == 20
    assert c.get("/api/v1/orders?per_page=0", headers=h).status_code == 400
    assert c.get("/api/v1/orders?numero=1", headers=h).status_code == 400  # an unknown filter is not ignored
    d, dh = bearer(make_user("door"))
    assert d.get("/api/v1/orders", headers=dh).status_code == 403


def test_void_once_per_key_in_the_sellers_shift(bearer, sell, seller, make_user, show):
    order = sell(seller, {0: 2})
    c, h = bearer(seller)
    url = f"/api/v1/orders/{order.number}/void"
    assert c.post(url, json={}, headers=h).status_code == 400  # no Idempotency-Key
    headers = keyed(h)
    first = c.post(url, json={}, headers=headers)
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert body["order"]["status"] == "voided" and len(body["tickets"]) == 2 and body["repeated"] is False
    again = c.post(url, json={}, headers=headers).get_json()
    assert again["repeated"] is True and again["amount_cents"] == body["amount_cents"]
    assert Order.objects.get(pk=order.pk).refunded_cents == body["amount_cents"]  # given back once
    other, oh = bearer(make_user("seller"))  # another seller: not a sale of their shift (a rule: 422)
    assert other.post(url, json={}, headers=keyed(oh)).status_code == 422
    d, dh = bearer(make_user("door"))
    assert d.post(url, json={}, headers=keyed(dh)).status_code == 403
    assert c.post("/api/v1/orders/000000-XXXXXX/void", json={}, headers=keyed(h)).status_code == 404
    assert c.post(url, json={"ticket_codes": "all"}, headers=keyed(h)).status_code == 400


def test_refund_needs_a_manager_signed_in_recently_and_happens_once(bearer, sell, seller, manager, show):
    order = sell(seller, {0: 2}, payments=[cash()])
    c, h = bearer(manager)
    url = f"/api/v1/orders/{order.number}/refund"
    s, sh = bearer(seller)
    assert s.post(url, json={"reason": "Cliente desistiu"}, headers=keyed(sh)).status_code == 403
    assert c.post(url, json={"reason": 7}, headers=keyed(h)).status_code == 400
    short = c.post(url, json={"reason": "x"}, headers=keyed(h))
    assert short.status_code == 422 and "reason" in short.get_json()["fields"]
    headers = keyed(h)
    first = c.post(url, json={"reason": "Cliente desistiu"}, headers=headers)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["amount_cents"] == 200_00 and first.get_json()["order"]["status"] == "refunded"
    assert c.post(url, json={"reason": "Cliente desistiu"}, headers=headers).get_json()["repeated"] is True
    assert Order.objects.get(pk=order.pk).refunded_cents == 200_00
    AuthSession.objects(user_id=manager.pk).update(set__fresh_at=utcnow() - timedelta(hours=1))
    late = c.post(url, json={"reason": "Outra vez"}, headers=keyed(h))
    assert late.status_code == 403 and "auth/login" in late.get_json()["error"]


def test_exchange_gives_the_new_order_once_per_key(bearer, sell, seller, manager, show):
    other = make_event(title="Samba Domingo", tiers=(("Pista", 100_00, 10),))
    order = sell(seller, {0: 1})
    code = Ticket.objects(order_id=order.pk).first().code
    c, h = bearer(manager)
    body = {"ticket_codes": [code], "event_id": str(other.pk), "ticket_type_id": str(tiers_of(other)[0].pk),
            "reason": "Cliente prefere domingo"}
    headers = keyed(h)
    first = c.post(f"/api/v1/orders/{order.number}/exchange", json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    new = first.get_json()
    assert new["event_id"] == str(other.pk) and new["tickets"][0]["status"] == "valid"
    again = c.post(f"/api/v1/orders/{order.number}/exchange", json=body, headers=headers)
    assert again.get_json()["number"] == new["number"] and Order.objects(event_id=other.pk).count() == 1
    assert Ticket.objects.get(code=code).status == "void"
    s, sh = bearer(seller)
    assert s.post(f"/api/v1/orders/{order.number}/exchange", json=body, headers=keyed(sh)).status_code == 403
    assert c.post(f"/api/v1/orders/{order.number}/exchange", json={**body, "ticket_codes": []},
                  headers=keyed(h)).status_code == 400


def test_pending_refunds_of_a_cancelled_show_are_settled_once(app, bearer, sell, seller, manager, show, make_user,
                                                               run_jobs):
    from tests.refunds.test_cancellation import cancel

    paid_cash = sell(seller, {0: 2}, payments=[cash()])
    cancel(app, show, make_user("admin"))
    run_jobs()
    c, h = bearer(manager)
    pending = c.get("/api/v1/refunds/pending", headers=h).get_json()
    assert [(p["order_number"], p["index"], p["amount_cents"]) for p in pending["items"]] == [
        (paid_cash.number, 0, 200_00)]
    url = f"/api/v1/orders/{paid_cash.number}/refunds/0/settle"
    s, sh = bearer(seller)
    assert s.post(url, json={}, headers=keyed(sh)).status_code == 403
    headers = keyed(h)
    settled = c.post(url, json={}, headers=headers)
    assert settled.status_code == 200, settled.get_json()
    assert c.post(url, json={}, headers=headers).status_code == 200  # the retry: the same answer, paid once
    assert c.post(url, json={}, headers=keyed(h)).status_code == 409
    assert Shift.objects.get(seller_id=manager.pk).cash_refunds_cents == 200_00
    assert c.get("/api/v1/refunds/pending", headers=h).get_json()["total"] == 0
    assert c.post(f"/api/v1/orders/{paid_cash.number}/refunds/7/settle", json={}, headers=keyed(h)).status_code == 404


def test_exchange_into_a_concession_takes_the_holders_documents(bearer, sell, seller, manager, show):
    meia = make_event(title="Samba Meia", tiers=(("Pista", 100_00, 10),), concession_tiers=(("Meia", 50_00, 10),))
    order = sell(seller, {0: 2}, payments=[cash()])
    codes = list(Ticket.objects(order_id=order.pk).distinct("code"))
    c, h = bearer(manager)
    body = {"ticket_codes": codes, "event_id": str(meia.pk), "ticket_type_id": str(tiers_of(meia)[1].pk),
            "reason": "Estudantes", "refund_references": {}}
    short = c.post(f"/api/v1/orders/{order.number}/exchange", json={**body, "documents": ["11122233344"]},
                   headers=keyed(h))
    assert short.status_code == 422 and set(short.get_json()["fields"]) == {"documents"}, short.get_json()
    assert Ticket.objects(order_id=order.pk, status="valid").count() == 2  # nothing moved
    done = c.post(f"/api/v1/orders/{order.number}/exchange", json={**body, "documents": ["11122233344", "55566677788"]},
                  headers=keyed(h))
    assert done.status_code == 201, done.get_json()
    new = Order.objects.get(number=done.get_json()["number"])
    assert sorted(Ticket.objects(order_id=new.pk).distinct("holder_document")) == ["11122233344", "55566677788"]
