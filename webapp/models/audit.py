"""Append-only audit trail: there is no code path that edits or deletes an entry."""
from mongoengine import DateTimeField, DictField, Document, ObjectIdField, QuerySet, StringField

from .base import utcnow


class AuditIsAppendOnly(Exception):
    """Raised by any attempt to change or remove an audit entry through the model."""


def _refuse(*args, **kwargs):
    raise AuditIsAppendOnly("audit entries are append-only: they cannot be changed or deleted")


class AppendOnlyQuerySet(QuerySet):
    """Reads as usual; every bulk write that could change or remove entries refuses."""

    update = update_one = upsert_one = modify = delete = _refuse


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
        "queryset_class": AppendOnlyQuerySet,
        "indexes": ["-at", ("action", "-at"), ("user_id", "-at"), ("event_id", "-at"), "order_number"],
    }

    def save(self, *args, **kwargs):
        """Only a new entry may be saved (services/audit.record inserts them directly)."""
        if self.pk is not None:
            _refuse()
        return super().save(*args, **kwargs)

    update = modify = delete = _refuse
