"""A show's own seats: one document per seat per show, copied from the venue's seat map, its status the inventory."""
from mongoengine import DateTimeField, Document, FloatField, IntField, ListField, ObjectIdField, StringField

from .base import utcnow

SEAT_STATUSES = ("free", "held", "sold", "blocked")
BLOCK_KINDS = ("house", "technical", "other", "not_for_sale")  # why a seat is blocked (labels.SEAT_BLOCK)


class ShowSeat(Document):
    event_id = ObjectIdField(required=True)
    sid = StringField(required=True, max_length=32)  # the map seat's stable id
    section = StringField(max_length=60)
    row = StringField(max_length=30)
    number = StringField(max_length=10)
    table = StringField(max_length=30)
    label = StringField(max_length=60)
    zone = StringField(max_length=16)
    x = FloatField(default=0)
    y = FloatField(default=0)
    rank = IntField(default=0)  # lower = better
    flags = ListField(StringField(max_length=20))
    # Changed only by services/seats.py, each change one conditional update on this document.
    status = StringField(choices=SEAT_STATUSES, default="free")
    hold_id = ObjectIdField()  # the hold that has it (held, and sold until the hold is tidied)
    order_id = ObjectIdField()
    ticket_id = ObjectIdField()
    blocked_kind = StringField(choices=BLOCK_KINDS)
    blocked_reason = StringField(max_length=200)  # the manager's note, in their words
    blocked_by = ObjectIdField()
    changed_at = DateTimeField(default=utcnow)  # UTC, set on every change: live maps fetch only what changed

    meta = {"collection": "show_seats", "indexes": [
        {"fields": ["event_id", "sid"], "unique": True}, ("event_id", "status"), ("event_id", "changed_at"),
        ("event_id", "zone", "status", "rank"),
        {"fields": ["hold_id"], "sparse": True}, {"fields": ["ticket_id"], "sparse": True}]}
