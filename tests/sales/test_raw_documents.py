"""Documents a sale writes without building them (models.base.raw_document): the same checks and the same stored
fields as the MongoEngine document, and read back whole."""
import uuid
from datetime import datetime, timezone

import pytest
from bson import ObjectId
from mongoengine import ValidationError
from mongoengine.errors import FieldDoesNotExist

from tests.factories import tiers_of
from tests.sale_fixtures import cash
from webapp.models import AuditEntry, Order, OutboxMessage, Ticket
from webapp.models.base import raw_document
from webapp.services import sales

AT = datetime(2026, 12, 1, 20, 30, tzinfo=timezone.utc)


def _ticket(**changes):
    values = dict(id=ObjectId(), code="A" * 26, order_id=ObjectId(), order_number="261201-ABCDEF",
                  event_id=ObjectId(), ticket_type_id=ObjectId(), tier_name="Meia", price_cents=5000,
                  seat={"sid": "F12", "label": "F12", "section": "Plateia", "row": "F", "number": "12"},
                  holder_document="123.456.789-0", created_at=AT)
    return {**values, **changes}


def _as_document(model, values):
    document = model(**values)
    document.validate()
    return document.to_mongo().to_dict()


@pytest.mark.parametrize("model, values", [
    (Ticket, _ticket()),
    (Ticket, _ticket(seat=None, holder_document=None, order_id=str(ObjectId()))),  # to_python's conversion too
    (OutboxMessage, {"kind": "order.confirm", "payload": {"order_id": "x"}, "order_number": "N", "created_at": AT,
                     "available_at": AT}),
    (AuditEntry, {"at": AT, "user_id": ObjectId(), "username": "ana", "action": "sale", "target_type": "Order",
                  "target_id": "1", "after": {"total_cents": 100, "payments": {"cash": 100}}}),
])
def test_a_raw_document_is_what_the_document_would_store(model, values):
    raw = raw_document(model, values)
    assert raw == _as_document(model, values)
    assert list(raw) == list(_as_document(model, values))  # same fields, same order


@pytest.mark.parametrize("change", [
    {"status": "lost"},  # not one of the choices
    {"price_cents": -1},  # below min_value
    {"code": "A" * 65},  # longer than max_length
    {"order_id": None},  # required
    {"order_id": "not-an-id"},
    {"seat": {"label": "F12"}},  # the embedded seat's required sid
    {"seat": {"sid": "F12", "number": "12345678901"}},  # the embedded seat's max_length
    {"holder_document": "x" * 31},
])
def test_a_raw_document_refuses_what_the_document_refuses(change):
    with pytest.raises(ValidationError) as document_error:
        _as_document(Ticket, _ticket(**change))
    with pytest.raises(ValidationError) as raw_error:
        raw_document(Ticket, _ticket(**change))
    assert set(raw_error.value.errors) == set(document_error.value.errors) == set(change)


def test_unknown_fields_and_models_with_a_clean_without_its_raw_twin_are_refused():
    with pytest.raises(FieldDoesNotExist):
        raw_document(Ticket, _ticket(colour="red"))
    with pytest.raises(TypeError):  # Order.clean() fills customer_words: a raw order would miss it
        raw_document(Order, {"number": "N"})


def test_a_sales_outbox_message_and_audit_entry_read_back_whole(ctx, seller, show):
    tier = tiers_of(show)[0]
    order = sales.sell(seller, event_id=str(show.pk), quantities={str(tier.pk): 2}, payments=[cash()],
                       idempotency_key=str(uuid.uuid4()))
    message = OutboxMessage.objects.get(order_number=order.number)
    assert (message.kind, message.payload, message.status, message.attempts) == \
        ("order.confirm", {"order_id": str(order.pk)}, "pending", 0)
    assert message.created_at and message.available_at and message.claim is None
    entry = AuditEntry.objects.get(order_number=order.number, action="sale")
    assert (entry.user_id, entry.username, entry.target_type, entry.target_id, entry.event_id) == \
        (seller.pk, seller.username, "Order", str(order.pk), show.pk)
    assert entry.after == {"total_cents": order.total_cents, "tickets": 2, "payments": {"cash": order.total_cents}}
    assert entry.before == {} and entry.at is not None
