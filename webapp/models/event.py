"""Shows (an event is a show on a date) and their price tiers."""
from mongoengine import (BooleanField, DateTimeField, Document, IntField, ObjectIdField, ReferenceField,
                         StringField)

from .base import utcnow
from .venue import Venue

EVENT_STATUSES = ("draft", "on_sale", "sales_closed", "finished", "cancelled")


class Event(Document):
    title = StringField(required=True, max_length=160)
    description = StringField(max_length=4000)
    venue = ReferenceField(Venue, required=True)
    starts_at = DateTimeField(required=True)  # UTC
    ends_at = DateTimeField(required=True)
    doors_at = DateTimeField()
    status = StringField(choices=EVENT_STATUSES, default="draft")
    capacity = IntField(required=True, min_value=1)  # the venue's capacity unless lowered for this show
    sales_start = DateTimeField()
    sales_end = DateTimeField()
    max_per_order = IntField(default=10, min_value=1, max_value=100)
    concession_cap_pct = IntField(default=40, min_value=0, max_value=100)  # meia-entrada share of capacity
    created_by = ObjectIdField()
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    meta = {"collection": "events", "indexes": [("status", "starts_at"), "starts_at", "venue", "$title"]}


class TicketType(Document):
    event = ReferenceField(Event, required=True)
    name = StringField(required=True, max_length=60)
    price_cents = IntField(required=True, min_value=0, max_value=100_000_00)
    quota = IntField(required=True, min_value=0)
    sales_start = DateTimeField()
    sales_end = DateTimeField()
    max_per_order = IntField(min_value=1, max_value=100)
    is_concession = BooleanField(default=False)  # needs a document number per ticket (meia-entrada)
    active = BooleanField(default=True)
    # Reserved seating: the seat-map zone whose seats this tier sells (a concession tier shares its zone's seats).
    zone = StringField(max_length=16)
    sort = IntField(default=0)
    created_at = DateTimeField(default=utcnow)

    meta = {"collection": "ticket_types", "indexes": [("event", "sort")]}
