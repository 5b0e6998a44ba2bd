"""The order page and its print page render for every kind of order staff can meet, in pt-BR and English:
cash with change, card, Pix, split, complimentary, partly refunded, exchanged (both sides), voided, failed, cancelled."""
import re
import uuid

import pytest

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import card, cash, pix
from webapp import labels
from webapp.models import Order, Ticket
from webapp.models.order import Refund
from webapp.services import exchanges, lifecycle, orders, outbox, refunds

SPLIT = [{"method": "card", "amount_cents": 150_00, "auth_code": "AUTH150"},
         {"method": "pix", "amount_cents": None, "reference": "PIX-REST"}]


def _codes(order):
    return [t.code for t in Ticket.objects(order_id=order.pk).order_by("id")]


@pytest.fixture
def every_kind(app, sell, seller, manager, show, make_user, run_jobs):
    """{kind: (order number, what its page must show in pt-BR)} for every state an order can be in."""
    gala = make_event(title="Gala", tiers=(("Plateia", 125_00, 50),))
    doomed = make_event(title="Show Cancelado", tiers=(("Pista", 80_00, 50),))
    vip = make_event(title="Samba VIP", tiers=(("VIP", 150_00, 10),))
    with app.test_request_context():
        kinds = {
            "cash with change": sell(seller, {0: 2}, payments=[cash(tendered=250_00)]),
            "card": sell(seller, {0: 1}, payments=[card("AUTH777")]),
            "pix": sell(seller, {0: 1}, payments=[pix("PIX-777")]),
            "split": sell(seller, {0: 2}, event=gala, payments=SPLIT),
            "complimentary": sell(seller, {0: 1}, payments=[{"method": "comp", "comp_reason": "Convidado da casa"}]),
        }
        partly = sell(seller, {0: 2}, payments=[card("AUTH222")])
        refunds.refund_tickets(manager, partly, _codes(partly)[:1], method="card", reference="REV-222",
                               reason="Um desistiu")
        kinds["partly refunded"] = partly
        old = sell(seller, {0: 1}, payments=[cash()])
        kinds["exchanged (new)"] = exchanges.exchange_tickets(
            manager, old, _codes(old), event_id=vip.pk, tier_id=tiers_of(vip)[0].pk, reason="Upgrade",
            idempotency_key=str(uuid.uuid4()), payments=[card("UPG150")])
        kinds["exchanged (old)"] = old
        voided = sell(seller, {0: 1}, payments=[pix("PIX-VOID")])
        refunds.void_tickets(seller, voided)
        kinds["voided"] = voided
        failed = sell(seller, {0: 1}, payments=[card("AUTHFAIL")])
        orders.release_order(failed.pk, "payment not confirmed")
        kinds["failed"] = failed
        kinds["cancelled"] = sell(seller, {0: 2}, event=doomed, payments=[
            {"method": "card", "amount_cents": 100_00, "auth_code": "AUTHDOOM"},
            {"method": "pix", "amount_cents": None, "reference": "PIX-DOOM"}])
        lifecycle.set_status(make_user("admin"), doomed, "cancelled")
        outbox.relay_once()
    run_jobs()
    expected = {
        "cash with change": ["Troco a dar: R$\xa050,00", "Dinheiro"],
        "card": ["Cartão", "AUTH777"],
        "pix": ["Pix", "PIX-777"],
        "split": ["Cartão", "R$\xa0150,00", "Pix", "R$\xa0100,00"],
        "complimentary": ["Cortesia", "Convidado da casa", "valor de face, não cobrado"],
        "partly refunded": ["Reembolsado em parte", "REV-222"],
        "exchanged (new)": ["Crédito do pedido", "R$\xa0100,00", "UPG150"],
        "exchanged (old)": ["Crédito de troca"],
        "voided": ["Anulado"],
        "failed": ["Pagamento falhou"],
        "cancelled": ["pendente", "R$\xa060,00"],  # the Pix part waits for its refund apart from the card
    }
    return {kind: (Order.objects.get(pk=o.pk).number, expected[kind]) for kind, o in kinds.items()}


def test_every_kind_of_order_renders_with_what_staff_need(client, logged_in, every_kind):
    logged_in("manager")
    for kind, (number, shown) in every_kind.items():
        for url in (f"/orders/{number}", f"/orders/{number}?sold=1"):
            response = client.get(url)
            body = response.get_data(as_text=True)
            assert response.status_code == 200, (kind, url)
            for text in shown:
                if url.endswith("sold=1") or not text.startswith("Troco a dar"):  # the change: right after the sale
                    assert text in body, (kind, text)
        printed = client.get(f"/orders/{number}/print")
        assert printed.status_code == 200, kind
        live = Ticket.objects(order_id=Order.objects.get(number=number).pk, status="valid").count()
        assert printed.get_data(as_text=True).count('class="ticket"') == live, kind


def test_a_void_ticket_says_what_voided_it(client, logged_in, every_kind):
    logged_in("manager")
    badges = {kind: re.findall(r'class="badge muted">([^<]+)<', client.get(f"/orders/{number}").get_data(as_text=True))
              for kind, (number, _shown) in every_kind.items()}
    assert badges["exchanged (old)"] == ["trocado"] and badges["voided"] == ["anulado"]
    assert badges["partly refunded"] == ["reembolsado"] and badges["cancelled"] == ["espetáculo cancelado"] * 2
    assert badges["failed"] == ["cancelado"]  # a sale undone by its failed payment has no entry: the state alone
    assert set(labels.TICKET_VOIDED_BY) == set(Refund.kind.choices)  # every kind of entry names its tickets


def test_every_kind_of_order_renders_in_english(client, logged_in, every_kind):
    logged_in("seller", locale="en")
    for kind, (number, _shown) in every_kind.items():
        for url in (f"/orders/{number}?sold=1", f"/orders/{number}/print?format=a4"):
            response = client.get(url)
            assert response.status_code == 200, (kind, url)
    body = client.get(f"/orders/{every_kind['exchanged (new)'][0]}").get_data(as_text=True)
    assert "Credit from order" in body
    old = client.get(f"/orders/{every_kind['exchanged (old)'][0]}").get_data(as_text=True)
    assert re.findall(r'class="badge muted">([^<]+)<', old) == ["exchanged"]
    for kind, (number, _shown) in every_kind.items():  # only a complimentary sale's amount was never charged
        body = client.get(f"/orders/{number}").get_data(as_text=True)
        assert ("face value, not charged" in body) == (kind == "complimentary"), kind
