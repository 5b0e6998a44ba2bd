"""Append-only audit trail: there is no code path that edits or deletes an entry."""
from mongoengine import DateTimeField, DictField, Document, ObjectIdField, StringField

from .base import utcnow


class AuditEntry(Document):
    at = DateTimeField(default=utcnow, required=True)
    user_id = ObjectIdField()
    username = StringField(max_length=40)
    action = StringField(required=True, max_length=60)  # e.g. sale, void, refund, user.create
    target_type = StringField(max_length=40)
    target_id = StringField(max_length=64)
    event_id = ObjectIdField()
    order_number = StringField(max_length=32)
    reason = StringField(max_length=500)
    before = DictField()
    after = DictField()

    meta = {
        "collection": "audit",
        "indexes": ["-at", ("action", "-at"), ("user_id", "-at"), ("event_id", "-at"), "order_number"],
    }
