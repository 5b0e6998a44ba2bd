"""Orders and their tickets (the cash shifts they are sold in: shift.py)."""
from mongoengine import (BooleanField, DateTimeField, DictField, Document, EmbeddedDocument, EmbeddedDocumentField,
                         EmbeddedDocumentListField, IntField, ListField, ObjectIdField, StringField)

from ..payment_methods import CODES, EXCHANGE
from .base import search_words, utcnow

# failed: the payment could not be confirmed for good, so the sale was undone (inventory released).
ORDER_STATUSES = ("pending", "confirmed", "voided", "refunded", "partially_refunded", "exchanged", "failed")
NO_TICKET_LEFT = ("voided", "refunded", "exchanged", "failed")  # the statuses of an order without a valid ticket
TICKET_STATUSES = ("valid", "used", "void")


class OrderLine(EmbeddedDocument):
    ticket_type_id = ObjectIdField(required=True)
    name = StringField(required=True)
    unit_price_cents = IntField(required=True, min_value=0)
    quantity = IntField(required=True, min_value=1)
    subtotal_cents = IntField(required=True, min_value=0)
    is_concession = BooleanField(default=False)  # counts against the show's concession cap


class Payment(EmbeddedDocument):
    method = StringField(choices=CODES, required=True)
    amount_cents = IntField(required=True, min_value=0)
    tendered_cents = IntField(min_value=0)  # cash handed over
    change_cents = IntField(min_value=0)  # cash given back
    auth_code = StringField(max_length=40)  # card terminal authorisation
    reference = StringField(max_length=80)  # Pix transaction id
    comp_reason = StringField(max_length=200)
    # A terminal/Pix reconciliation may later declare a payment failed; confirmation then undoes the sale.
    status = StringField(choices=("captured", "failed"), default="captured")


class Refund(EmbeddedDocument):
    # exchange: the value moved to the new order of an exchange (no money left the box office)
    method = StringField(choices=CODES + (EXCHANGE,), required=True)
    amount_cents = IntField(required=True, min_value=0)
    reference = StringField(max_length=80)
    reason = StringField(max_length=500)
    status = StringField(choices=("pending", "settled"), default="settled")
    ticket_codes = DictField()
    methods = DictField()  # an exchange's entry: {method: cents} of the old payments its credit carried away
    by = ObjectIdField()
    at = DateTimeField(default=utcnow)
    kind = StringField(choices=("void", "refund", "exchange", "cancellation"))
    key = StringField(max_length=64)  # the request's idempotency key: a repeat returns this outcome
    settled_at = DateTimeField()
    settled_by = ObjectIdField()


class Customer(EmbeddedDocument):
    name = StringField(max_length=120)
    document = StringField(max_length=30)
    email = StringField(max_length=254)
    phone = StringField(max_length=30)


class Order(Document):
    number = StringField(required=True, unique=True, max_length=32)
    idempotency_key = StringField(required=True, unique=True, max_length=64)
    # sha256 of the sale as asked (services/sales.py request_fingerprint): the key again with another request is
    # refused, not answered with this order. None on orders from before it existed (and on exchanges).
    request_hash = StringField(max_length=64)
    event_id = ObjectIdField(required=True)
    event_title = StringField(max_length=160)
    ticket_count = IntField(default=0, min_value=0)
    comp_count = IntField(default=0, min_value=0)  # tickets given as complimentary
    lines = EmbeddedDocumentListField(OrderLine)
    total_cents = IntField(required=True, min_value=0)
    payments = EmbeddedDocumentListField(Payment)
    refunds = EmbeddedDocumentListField(Refund)
    refunded_cents = IntField(default=0, min_value=0)
    customer = EmbeddedDocumentField(Customer)
    seller_id = ObjectIdField(required=True)
    seller_name = StringField()
    shift_id = ObjectIdField()
    status = StringField(choices=ORDER_STATUSES, default="pending")
    # sending: the e-mail is being handed to the SMTP server (recorded before, settled after: never sent twice)
    email_status = StringField(choices=("none", "pending", "sending", "sent", "failed", "dropped"), default="none")
    email_attempted_at = DateTimeField()
    email_attempt = StringField(max_length=32)  # the token of the run that recorded "sending"
    created_at = DateTimeField(default=utcnow)
    confirmed_at = DateTimeField()
    email_error = StringField(max_length=500)
    released_at = DateTimeField()  # inventory given back (void or failed payment): set exactly once
    # What the failed-payment release could not undo, for staff (services/orders.py): used_tickets (they stay
    # used), shift_closed (its figures were left as counted), credit_held (an exchange's credit is still owed).
    release_notes = ListField(StringField(choices=("used_tickets", "shift_closed", "credit_held")))
    print_count = IntField(default=0, min_value=0)
    exchanged_from = StringField(max_length=32)  # number of the order whose tickets this one replaced
    credit_cents = IntField(default=0, min_value=0)  # value brought over from that order (paid before)
    credit_methods = DictField()  # {method: cents}: how that credit was paid, so it goes back the same way
    cancel_mailed_at = DateTimeField()  # the show-cancelled e-mail went out
    cancel_mail_error = StringField(max_length=500)  # why it could not be sent (cleared when retried)
    # The customer's name folded into words ("João da Silva" → joao, da, silva): the order search finds
    # "joao" by an indexed prefix match instead of scanning every name with a case-insensitive regex.
    customer_words = ListField(StringField(max_length=120))
    # The code part of the number ("G64NDQ" of "261201-G64NDQ"): staff type only it, off a receipt or a phone, and
    # the search finds it through its own index (a suffix of `number` cannot use number's).
    number_code = StringField(max_length=16)

    meta = {
        "collection": "orders",
        # Every index is written by every sale (13 → 9 entries per order): the search's customer fields are
        # sparse (most box-office orders have no customer), and status/e-mail status are indexed only where the
        # admins' list looks (failed), so confirming an order moves no index entry. customer.name is not indexed:
        # the search reads customer_words (only `init-db`'s one-off backfill filters on the name).
        "indexes": [("event_id", "-created_at"), "-created_at", ("seller_id", "-created_at"), "shift_id",
                    {"fields": ["customer.document"], "sparse": True, "name": "customer_document_sparse"},
                    {"fields": ["customer.email"], "sparse": True, "name": "customer_email_sparse"},
                    {"fields": ["status"], "partialFilterExpression": {"status": "failed"}, "name": "failed_orders"},
                    {"fields": ["email_status"], "partialFilterExpression": {"email_status": "failed"},
                     "name": "failed_emails"},
                    "customer_words",
                    {"fields": ["number_code"], "sparse": True, "name": "number_code_sparse"},
                    # Only the orders owing a refund (a cancelled show's, until staff pay it): no sale writes it.
                    {"fields": ["created_at"], "partialFilterExpression": {"refunds.status": "pending"},
                     "name": "pending_refunds"}],
    }

    def clean(self):
        # Run by validate(), so every service that writes an order with a customer (sale, exchange) keeps it.
        self.customer_words = search_words(self.customer.name) if self.customer and self.customer.name else []
        self.number_code = code_of_number(self.number)

    def refund_of(self, code):
        """The entry that returned ticket `code` (its void, refund, exchange or show cancellation), or None: the
        first naming it (the other parts of a split list no ticket)."""
        return next((r for r in self.refunds or () if code in (r.ticket_codes or {})), None)


def code_of_number(number):
    """The code part of an order number ("261201-G64NDQ" → "G64NDQ"); None for a number without one."""
    return (number or "").partition("-")[2] or None


class TicketSeat(EmbeddedDocument):
    """The seat a ticket is for (reserved seating), copied from the show's seat when sold."""
    sid = StringField(required=True, max_length=32)
    label = StringField(max_length=60)
    section = StringField(max_length=60)
    row = StringField(max_length=30)
    number = StringField(max_length=10)

    def __str__(self):  # templates and messages print the seat's label ("F12")
        return self.label or self.sid

    def __bool__(self):
        return True

    def as_dict(self):
        return {"id": self.sid, "label": self.label, "section": self.section, "row": self.row, "number": self.number}


class Ticket(Document):
    code = StringField(required=True, unique=True, max_length=64)  # >= 128 random bits
    order_id = ObjectIdField(required=True)
    order_number = StringField(required=True)
    event_id = ObjectIdField(required=True)
    ticket_type_id = ObjectIdField(required=True)
    tier_name = StringField(required=True)
    price_cents = IntField(required=True, min_value=0)
    seat = EmbeddedDocumentField(TicketSeat)  # None for general admission
    holder_document = StringField(max_length=30)  # concession tickets
    status = StringField(choices=TICKET_STATUSES, default="valid")
    used_at = DateTimeField()
    used_by = ObjectIdField()
    used_by_name = StringField()
    gate = StringField(max_length=40)
    voided_at = DateTimeField()
    created_at = DateTimeField(default=utcnow)

    # (event_id, status) also serves the door's per-gate counts (they match on event_id only); holder_document is
    # sparse: only concession tickets carry one.
    meta = {"collection": "tickets", "indexes": [
        "order_id", {"fields": ["holder_document"], "sparse": True, "name": "holder_document_sparse"},
        ("event_id", "status")]}
