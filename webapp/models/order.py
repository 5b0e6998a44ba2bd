"""Orders, their tickets and the cash shifts they are sold in."""
from mongoengine import (DateTimeField, DictField, Document, EmbeddedDocument, EmbeddedDocumentField,
                         EmbeddedDocumentListField, IntField, ObjectIdField, StringField)

from .base import utcnow

ORDER_STATUSES = ("pending", "confirmed", "voided", "refunded", "partially_refunded")
PAYMENT_METHODS = ("cash", "card", "pix", "comp")
TICKET_STATUSES = ("valid", "used", "void")


class OrderLine(EmbeddedDocument):
    ticket_type_id = ObjectIdField(required=True)
    name = StringField(required=True)
    unit_price_cents = IntField(required=True, min_value=0)
    quantity = IntField(required=True, min_value=1)
    subtotal_cents = IntField(required=True, min_value=0)


class Payment(EmbeddedDocument):
    method = StringField(choices=PAYMENT_METHODS, required=True)
    amount_cents = IntField(required=True, min_value=0)
    tendered_cents = IntField(min_value=0)  # cash handed over
    change_cents = IntField(min_value=0)  # cash given back
    auth_code = StringField(max_length=40)  # card terminal authorisation
    reference = StringField(max_length=80)  # Pix transaction id
    comp_reason = StringField(max_length=200)


class Refund(EmbeddedDocument):
    method = StringField(choices=("cash", "card", "pix", "comp"), required=True)
    amount_cents = IntField(required=True, min_value=0)
    reference = StringField(max_length=80)
    reason = StringField(max_length=500)
    status = StringField(choices=("pending", "settled"), default="settled")
    ticket_codes = DictField()
    by = ObjectIdField()
    at = DateTimeField(default=utcnow)


class Customer(EmbeddedDocument):
    name = StringField(max_length=120)
    document = StringField(max_length=30)
    email = StringField(max_length=254)
    phone = StringField(max_length=30)


class Order(Document):
    number = StringField(required=True, unique=True, max_length=32)
    idempotency_key = StringField(required=True, unique=True, max_length=64)
    event_id = ObjectIdField(required=True)
    lines = EmbeddedDocumentListField(OrderLine)
    total_cents = IntField(required=True, min_value=0)
    payments = EmbeddedDocumentListField(Payment)
    refunds = EmbeddedDocumentListField(Refund)
    refunded_cents = IntField(default=0, min_value=0)
    customer = EmbeddedDocumentField(Customer)
    seller_id = ObjectIdField(required=True)
    shift_id = ObjectIdField()
    status = StringField(choices=ORDER_STATUSES, default="pending")
    email_status = StringField(choices=("none", "pending", "sent", "failed"), default="none")
    created_at = DateTimeField(default=utcnow)
    confirmed_at = DateTimeField()

    meta = {
        "collection": "orders",
        "indexes": [("event_id", "-created_at"), "-created_at", ("seller_id", "-created_at"), "shift_id",
                    "customer.document", "customer.email", "customer.name"],
    }


class Ticket(Document):
    code = StringField(required=True, unique=True, max_length=64)  # >= 128 random bits
    order_id = ObjectIdField(required=True)
    order_number = StringField(required=True)
    event_id = ObjectIdField(required=True)
    ticket_type_id = ObjectIdField(required=True)
    tier_name = StringField(required=True)
    price_cents = IntField(required=True, min_value=0)
    seat = StringField(max_length=16)
    holder_document = StringField(max_length=30)  # concession tickets
    status = StringField(choices=TICKET_STATUSES, default="valid")
    used_at = DateTimeField()
    used_by = ObjectIdField()
    used_by_name = StringField()
    gate = StringField(max_length=40)
    voided_at = DateTimeField()
    created_at = DateTimeField(default=utcnow)

    meta = {"collection": "tickets", "indexes": ["order_id", ("event_id", "status"), ("event_id", "gate")]}


class Shift(Document):
    seller_id = ObjectIdField(required=True)
    seller_name = StringField()
    opened_at = DateTimeField(default=utcnow)
    closed_at = DateTimeField()
    status = StringField(choices=("open", "closed"), default="open")
    opening_float_cents = IntField(required=True, min_value=0)
    # Running totals, changed in the same transaction as each sale, void or refund.
    totals_by_method = DictField()  # {"cash": cents, "card": cents, ...}
    cash_in_cents = IntField(default=0)
    change_out_cents = IntField(default=0)
    cash_refunds_cents = IntField(default=0)
    comps_given = IntField(default=0)
    counted_cash_cents = IntField(min_value=0)
    expected_cash_cents = IntField()
    difference_cents = IntField()

    meta = {"collection": "shifts", "indexes": [("seller_id", "status"), "-opened_at"]}

    @property
    def expected_cash(self):
        return self.opening_float_cents + self.cash_in_cents - self.change_out_cents - self.cash_refunds_cents
