"""Done outbox messages live OUTBOX_KEEP_DAYS (MongoDB's TTL monitor deletes them); pending, dispatched and failed
ones stay whatever their age, and a job run again after its message is gone does nothing twice."""
import time
from datetime import timedelta

import pytest
from bson import ObjectId

from webapp import db
from webapp.cli import DONE_MESSAGES_TTL, ensure_indexes
from webapp.jobs.orders import confirm_orders
from webapp.models import Order, OutboxMessage
from webapp.models.base import utcnow
from webapp.services import outbox


@pytest.fixture
def fast_ttl_monitor(app):
    """The test mongod's TTL monitor passes every second (tests/conftest.py starts it so; 60 s by default)."""
    admin = db.database().client.admin
    assert admin.command("getParameter", 1, ttlMonitorSleepSecs=1)["ttlMonitorSleepSecs"] == 1


def _message(status, finished_days_ago):
    days = timedelta(days=finished_days_ago)
    return OutboxMessage(kind="order.confirm", payload={"order_id": str(ObjectId())}, status=status,
                         created_at=utcnow() - days, finished_at=utcnow() - days).save().pk


def test_done_messages_older_than_the_keep_time_are_deleted_and_no_others(app, ctx, sell, seller, smtp, run_jobs,
                                                                           fast_ttl_monitor):
    keep = app.config["OUTBOX_KEEP_DAYS"]
    order = sell(seller, customer={"email": "old@example.com"})
    outbox.relay_once()
    run_jobs()
    assert len(smtp.wait(1)) == 1
    sold = OutboxMessage.objects.get(order_number=order.number)
    assert sold.status == "done"
    sold.update(set__finished_at=utcnow() - timedelta(days=keep, hours=1))  # settled just over the keep time ago
    recent = _message("done", keep - 1)
    # A failed message, and failed ones retried since (pending, or dispatched again): their finished_at is old.
    stay = [_message(status, keep + 30) for status in ("failed", "pending", "dispatched")]
    deadline = time.monotonic() + 15
    while OutboxMessage.objects(pk=sold.pk).count() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert OutboxMessage.objects(pk=sold.pk).count() == 0
    assert {m.pk for m in OutboxMessage.objects} == {recent, *stay}
    # Its batch run again (a retry, a stray twin): the order is not confirmed nor e-mailed a second time.
    assert confirm_orders([{"order_id": str(order.pk), "message_id": str(sold.pk)}]) == {}
    time.sleep(0.2)
    assert len(smtp.messages) == 1 and Order.objects.get(pk=order.pk).email_status == "sent"


def test_init_db_follows_a_changed_keep_time(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_KEEP_DAYS", 30)
    ensure_indexes()
    index = db.database().outbox.index_information()[DONE_MESSAGES_TTL]
    assert index["expireAfterSeconds"] == 30 * 24 * 3600 and index["partialFilterExpression"] == {"status": "done"}
    monkeypatch.undo()
    ensure_indexes()
    assert db.database().outbox.index_information()[DONE_MESSAGES_TTL]["expireAfterSeconds"] == 7 * 24 * 3600
