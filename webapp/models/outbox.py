"""Work for the workers, written in the same transaction as the change that needs it."""
from mongoengine import DateTimeField, DictField, Document, IntField, StringField

from .base import utcnow

OUTBOX_STATUSES = ("pending", "dispatched", "done", "failed")


class OutboxMessage(Document):
    kind = StringField(required=True, max_length=60)  # the job to run, e.g. "order.confirm"
    payload = DictField()
    status = StringField(choices=OUTBOX_STATUSES, default="pending")
    attempts = IntField(default=0)
    created_at = DateTimeField(default=utcnow)
    dispatched_at = DateTimeField()
    finished_at = DateTimeField()
    job_id = StringField()
    last_error = StringField()

    meta = {"collection": "outbox", "indexes": [("status", "created_at")]}
