"""Work for the workers, written in the same transaction as the change that needs it."""
from mongoengine import DateTimeField, DictField, Document, IntField, StringField

from .base import utcnow

# pending → dispatching (claimed by one relay) → dispatched (in RQ) → done | failed
OUTBOX_STATUSES = ("pending", "dispatching", "dispatched", "done", "failed")


class OutboxMessage(Document):
    kind = StringField(required=True, max_length=60)  # the job to run, e.g. "order.confirm"
    payload = DictField()
    status = StringField(choices=OUTBOX_STATUSES, default="pending")
    attempts = IntField(default=0)
    created_at = DateTimeField(default=utcnow)
    available_at = DateTimeField(default=utcnow)  # not handed to RQ before this (backoff after a failure)
    claim = StringField()  # the relay pass that holds it while status is dispatching
    claimed_at = DateTimeField()
    order_number = StringField(max_length=32)
    dispatched_at = DateTimeField()
    finished_at = DateTimeField()  # settled done or failed; a done one is deleted OUTBOX_KEEP_DAYS later (cli.py)
    job_id = StringField()
    last_error = StringField()

    meta = {"collection": "outbox", "indexes": [("status", "available_at"), ("status", "created_at")]}
