"""A confirmation e-mail handed to the SMTP server is never sent again: the attempt is recorded before the SMTP
exchange and settled after, with a Message-ID that is the same at every attempt."""
import pytest
from pymongo.errors import AutoReconnect

from webapp.models import Order, OutboxMessage
from webapp.services import confirmation, mail, outbox


def test_marking_sent_survives_a_failover_and_the_retried_job_sends_nothing(ctx, sell, seller, smtp, run_jobs,
                                                                            monkeypatch):
    order = sell(seller, customer={"email": "once@example.com"})
    settle, calls = confirmation._settle, []

    def no_primary_at_first(order_id, changes, deadline):  # the send worked, then the primary died
        calls.append(changes)
        if len(calls) == 1:
            raise AutoReconnect("no primary")
        return settle(order_id, changes, deadline)

    monkeypatch.setattr(confirmation, "_settle", no_primary_at_first)
    outbox.relay_once()
    run_jobs()  # the first try fails after sending; RQ's retries run it again
    (first,) = smtp.wait(1)
    assert Order.objects.get(pk=order.pk).email_status == "failed"  # unsettled: staff are told, nothing resent
    assert len(smtp.messages) == 1
    assert first["Message-ID"] == mail.message_id("confirmation", order)
    assert OutboxMessage.objects.get().last_error == confirmation.UNSETTLED_ERROR


def test_the_attempt_is_recorded_before_the_smtp_exchange(ctx, sell, seller, smtp, monkeypatch):
    order = sell(seller, customer={"email": "seen@example.com"})
    seen = []
    send = mail.send

    def look_then_send(message):
        seen.append(Order.objects.get(pk=order.pk).email_status)
        send(message)

    monkeypatch.setattr(mail, "send", look_then_send)
    assert confirmation.confirm_order(order.pk) == "confirmed"
    assert seen == ["sending"] and Order.objects.get(pk=order.pk).email_status == "sent"
    assert confirmation.confirm_order(order.pk) == "confirmed" and len(smtp.wait(1)) == 1


def test_an_attempt_left_unsettled_by_a_killed_worker_is_not_sent_again(ctx, sell, seller, smtp):
    order = sell(seller, customer={"email": "killed@example.com"})
    Order.objects(pk=order.pk).update_one(set__email_status="sending")  # the worker died mid-exchange
    assert confirmation.confirm_order(order.pk) == confirmation.UNSETTLED
    assert smtp.messages == []
    order.reload()
    assert order.status == "confirmed" and order.email_status == "failed"
    assert order.email_error == confirmation.UNSETTLED_ERROR


def test_an_smtp_refusal_sends_nothing_and_leaves_the_e_mail_to_be_retried(app, ctx, sell, seller, monkeypatch):
    from localstack import processes

    monkeypatch.setitem(app.config, "MAIL_PORT", processes.free_port())  # nothing listens there
    order = sell(seller, customer={"email": "later@example.com"})
    with pytest.raises(OSError):
        confirmation.confirm_order(order.pk)
    assert Order.objects.get(pk=order.pk).email_status == "pending"


def test_an_attempt_recorded_whose_answer_was_lost_still_sends_once(ctx, sell, seller, smtp, monkeypatch):
    """A failover loses the acknowledgement of the write recording the attempt: read back, it is this run's."""
    from pymongo.collection import Collection

    order = sell(seller, customer={"email": "lost-ack@example.com"})
    update_one, calls = Collection.update_one, []

    def made_but_unacknowledged(self, query, changes, *args, **kwargs):
        result = update_one(self, query, changes, *args, **kwargs)
        if self.name == "orders" and changes.get("$set", {}).get("email_status") == "sending" and not calls:
            calls.append(1)
            raise AutoReconnect("connection closed")  # the write was made; its answer never came
        return result

    monkeypatch.setattr(Collection, "update_one", made_but_unacknowledged)
    assert confirmation.confirm_order(order.pk) == "confirmed"
    assert len(smtp.wait(1)) == 1 and Order.objects.get(pk=order.pk).email_status == "sent"
