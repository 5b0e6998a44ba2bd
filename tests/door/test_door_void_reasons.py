"""A void ticket at the door says what happened to it and when: refunded, cancelled, exchanged (to which order)."""
import uuid
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_event, tiers_of
from webapp.models import Order, Ticket
from webapp.services import exchanges, refunds, shifts
from webapp.services.door import admit

from tests.views.test_api import token_for

from .factories import sell_tickets


@pytest.fixture
def door_user(make_user):
    return make_user("door", username="rita")


@pytest.fixture
def manager(make_user):
    manager = make_user("manager")
    shifts.open_shift(manager, 0)
    return manager


def _order(ticket):
    return Order.objects.get(pk=ticket.order_id)


def _local_clock(ticket):
    voided = Ticket.objects.get(pk=ticket.pk).voided_at
    return voided.astimezone(ZoneInfo("America/Sao_Paulo")).strftime("%H:%M:%S")  # the venue's wall clock


def test_a_ticket_cancelled_at_the_counter_says_so_and_when(ctx, show, door_user):
    ticket, = sell_tickets(show, status="void")
    result = admit(ticket.code, show.pk, "Porta A", door_user)
    assert not result.admitted and result.reason == "void"
    assert "Cancelado na bilheteria" in result.message and "reembols" not in result.message
    assert _local_clock(ticket) in result.message


def test_a_refunded_ticket_says_refunded_and_when(ctx, show, door_user, manager):
    ticket, = sell_tickets(show)
    refunds.refund_tickets(manager, _order(ticket), [ticket.code], method="cash", reason="Desistiu",
                           idempotency_key=str(uuid.uuid4()))
    result = admit(ticket.code, show.pk, "Porta A", door_user)
    assert not result.admitted and result.reason == "void"
    assert result.message.startswith("Reembolsado em") and "cancelado" not in result.message
    assert _local_clock(ticket) in result.message


def test_an_exchanged_ticket_sends_the_customer_to_the_new_order(ctx, show, door_user, manager):
    ticket, = sell_tickets(show)
    later = make_event(title="Samba de Domingo", tiers=(("Inteira", 100_00, 10),), days_ahead=4)
    new = exchanges.exchange_tickets(manager, _order(ticket), [ticket.code], event_id=str(later.pk),
                                     tier_id=str(tiers_of(later)[0].pk), reason="troca de data",
                                     idempotency_key=str(uuid.uuid4()))
    result = admit(ticket.code, show.pk, "Porta A", door_user)
    assert not result.admitted and result.reason == "void"
    assert "Trocado em" in result.message and new.number in result.message
    assert _local_clock(ticket) in result.message


def test_the_scanner_api_answers_the_same_story(app, show, door_user, manager):
    with app.test_request_context():
        ticket, = sell_tickets(show)
        later = make_event(title="Samba de Domingo", tiers=(("Inteira", 100_00, 10),), days_ahead=4)
        new = exchanges.exchange_tickets(manager, _order(ticket), [ticket.code], event_id=str(later.pk),
                                         tier_id=str(tiers_of(later)[0].pk), reason="troca de data",
                                         idempotency_key=str(uuid.uuid4()))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token_for(client, door_user)}", "Idempotency-Key": str(uuid.uuid4()),
               "Accept-Language": "pt-BR"}
    answer = client.post("/api/v1/checkins", json={"code": ticket.code, "gate": "Porta A"}, headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["reason"] == "void" and "Trocado em" in body["message"] and new.number in body["message"]
