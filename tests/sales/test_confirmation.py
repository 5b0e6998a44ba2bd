"""Outbox → relay → RQ worker → e-mail on a real SMTP server → order confirmed; failures and the saga."""
import time

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue, SimpleWorker
from rq.job import Job

from localstack import databases, processes
from webapp.models import AuditEntry, Inventory, Order, OutboxMessage, Shift, Ticket
from webapp.services import lifecycle, orders, outbox


def test_sale_is_confirmed_and_the_customer_gets_tickets_by_email(ctx, sell, seller, smtp, run_jobs):
    order = sell(seller, {0: 2}, customer={"name": "Bia", "email": "bia@example.com"})
    assert order.status == "pending" and order.email_status == "pending"
    assert outbox.relay_once() == 1
    assert OutboxMessage.objects.get().status == "dispatched"
    assert run_jobs() == 1
    (mail,) = smtp.wait(1)
    assert mail["To"] == "bia@example.com" and order.number in mail["Subject"]
    html = mail.get_body(("html",)).get_content()
    assert html.count("<svg") == 2 and "Obrigado" in html
    (pdf,) = [part for part in mail.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert pdf.get_content().startswith(b"%PDF")
    order.reload()
    assert order.status == "confirmed" and order.email_status == "sent" and order.confirmed_at
    assert OutboxMessage.objects.get().status == "done"


def test_confirmation_runs_twice_but_mails_once(ctx, sell, seller, smtp, run_jobs):
    sell(seller, customer={"email": "dup@example.com"})
    outbox.relay_once()
    OutboxMessage.objects.update(set__status="pending")  # the relay died after enqueueing: delivered again
    outbox.relay_once()
    run_jobs()
    assert len(smtp.wait(1)) == 1
    time.sleep(0.2)
    assert len(smtp.messages) == 1 and Order.objects.get().status == "confirmed"


def test_no_email_given_still_confirms(ctx, sell, seller, run_jobs):
    order = sell(seller)
    outbox.relay_once()
    run_jobs()
    order.reload()
    assert order.status == "confirmed" and order.email_status == "none"


def test_an_order_given_back_before_its_email_left_does_not_say_to_be_sent(ctx, sell, seller, manager, smtp, run_jobs,
                                                                            client, logged_in):
    """Refunded before its confirmation went out (SMTP was down, or the job had not run yet): nothing is sent, and
    the order page said "to be sent" for ever."""
    from webapp.services import refunds

    order = sell(seller, {0: 1}, customer={"email": "ana@example.com"})
    refunds.refund_tickets(manager, order, reason="Desistiu na hora", idempotency_key="refund-key-before-mail")
    outbox.relay_once()
    run_jobs()
    time.sleep(0.2)
    assert smtp.messages == [] and Order.objects.get(pk=order.pk).email_status == "dropped"
    logged_in("manager")
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "não enviado: nenhum ingresso válido" in page and "a enviar" not in page

def test_two_relays_never_hand_over_the_same_message(ctx, sell, seller, redis_conn, app):
    for _ in range(5):
        sell(seller)
    assert outbox.relay_once(limit=2) + outbox.relay_once() == 5
    assert outbox.relay_once() == 0
    jobs = Queue(app.config["RQ_QUEUE"], connection=redis_conn).get_jobs()
    handed = [m["message_id"] for job in jobs for m in job.kwargs["messages"]]
    assert len(jobs) == 2 and sorted(handed) == sorted(str(m.pk) for m in OutboxMessage.objects)  # each once


def test_smtp_down_is_retried_then_shown_as_failed_to_admins(app, ctx, sell, seller, run_jobs, client, logged_in, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", processes.free_port())  # nothing listens there
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 1)
    order = sell(seller, customer={"email": "lost@example.com"})
    outbox.relay_once()
    run_jobs()  # first run and both retries (intervals of 0 s in tests)
    order.reload()
    message = OutboxMessage.objects.get()
    assert order.status == "confirmed" and order.email_status == "failed" and "Connection" in order.email_error
    assert message.status == "failed" and message.last_error
    logged_in("admin")
    page = client.get("/orders/failed").get_data(as_text=True)
    assert order.number in page and "Tentar de novo" in page
    assert client.post(f"/orders/failed/{message.pk}/retry").status_code == 302
    assert OutboxMessage.objects.get().status == "pending" and Order.objects.get().email_status == "pending"


def test_failed_payment_releases_the_seats_exactly_once(ctx, sell, seller, show, run_jobs):
    order = sell(seller, {0: 3}, payments=[{"method": "card", "auth_code": "AUTH99"}])
    key = Inventory.tier_key(order.lines[0].ticket_type_id)
    assert Inventory.objects.get(pk=key).remaining == 97
    # The card acquirer's reconciliation declares the payment failed before the worker confirms it.
    Order.objects(pk=order.pk).update_one(set__payments__0__status="failed")
    outbox.relay_once()
    run_jobs()
    order.reload()
    assert order.status == "failed" and order.released_at
    assert Inventory.objects.get(pk=key).remaining == 100 and Inventory.objects.get(pk=key).sold == 0
    assert Inventory.objects.get(pk=Inventory.event_key(show.pk)).remaining == show.capacity
    assert set(Ticket.objects(order_id=order.pk).distinct("status")) == {"void"}
    assert Shift.objects.get(pk=order.shift_id).totals_by_method["card"] == 0
    assert OutboxMessage.objects.get().status == "failed"
    # Delivered again (at least once) or compensated again by hand: nothing more is given back.
    assert orders.release_order(order.pk, "again") is False
    OutboxMessage.objects.update(set__status="pending")
    outbox.relay_once()
    run_jobs()
    assert Inventory.objects.get(pk=key).remaining == 100
    assert AuditEntry.objects(action="order.release").count() == 1


def test_redis_down_at_sale_time_confirmation_arrives_when_it_is_back(app, ctx, sell, seller, smtp, tmp_path, monkeypatch):
    redis = databases.start_redis(tmp_path)
    monkeypatch.setitem(app.config, "REDIS_URL", redis.url)
    monkeypatch.setitem(app.config, "OUTBOX_BREAKER_RESET", 0.5)
    monkeypatch.setitem(app.config, "OUTBOX_BACKOFF", 0.1)  # seconds × 2^attempts before the next try
    redis.stop()
    order = sell(seller, customer={"email": "later@example.com"})  # the sale never needs Redis
    assert order.status == "pending"
    assert outbox.relay_once() == 0
    assert outbox.breaker.current_state == "open"
    message = OutboxMessage.objects.get()
    assert message.status == "pending" and message.last_error
    back = databases.start_redis(tmp_path, port=redis.port)
    try:
        time.sleep(0.6)  # the breaker lets a trial call through after its reset timeout
        assert outbox.relay_once() == 1
        connection = Redis.from_url(back.url)
        SimpleWorker([Queue(app.config["RQ_QUEUE"], connection=connection)], connection=connection).work(burst=True)
        assert smtp.wait(1) and order.number in smtp.messages[0]["Subject"]
        assert Order.objects.get(pk=order.pk).status == "confirmed"
    finally:
        back.stop()


def test_a_job_lost_after_dispatch_is_sent_again_and_the_order_confirmed(app, ctx, sell, seller, run_jobs,
                                                                         redis_conn, monkeypatch):
    order = sell(seller)
    assert outbox.relay_once() == 1
    queue = Queue(app.config["RQ_QUEUE"], connection=redis_conn)
    queue.empty()  # the worker holding it was killed and Redis forgot the job
    monkeypatch.setitem(app.config, "OUTBOX_REDELIVER_SECONDS", 0)
    assert outbox.relay_once() == 1  # noticed as lost, put back in line and dispatched again
    assert run_jobs() == 1
    order.reload()
    assert order.status == "confirmed" and OutboxMessage.objects.get().status == "done"


def test_a_job_still_queued_is_not_sent_twice(app, ctx, sell, seller, redis_conn, monkeypatch):
    sell(seller)
    outbox.relay_once()
    monkeypatch.setitem(app.config, "OUTBOX_REDELIVER_SECONDS", 0)
    assert outbox.relay_once() == 0
    assert Queue(app.config["RQ_QUEUE"], connection=redis_conn).count == 1
    assert OutboxMessage.objects.get().status == "dispatched"


def test_the_relay_closes_shows_that_have_ended(app, ctx):
    from tests.factories import make_event

    ended = make_event(title="Ontem", days_ahead=-1)
    upcoming = make_event(title="Amanhã", days_ahead=1)
    assert outbox.run_relay(once=True) == 0
    ended.reload(), upcoming.reload()
    assert ended.status == "finished" and upcoming.status == "on_sale"


def test_each_kind_of_job_gets_its_own_time_limit(app, ctx, sell, seller, show, make_user, redis_conn, monkeypatch):
    def timeout_of(kind):
        return Job.fetch(OutboxMessage.objects.get(kind=kind).job_id, connection=redis_conn).timeout

    sell(seller)
    assert outbox.relay_once() == 1
    assert timeout_of("order.confirm") == 300  # an e-mail with its PDFs, more than RQ's default 180 s
    monkeypatch.setitem(app.config, "CANCELLATION_JOB_TIMEOUT", 7200)  # an even bigger room
    lifecycle.set_status(make_user("admin"), show, "cancelled")
    assert outbox.relay_once() == 1
    assert timeout_of("event.cancel") == 7200  # refunding a whole show runs far past 180 s


def test_a_show_title_with_line_breaks_still_mails_its_tickets_and_its_cancellation(app, ctx, sell, seller, show,
                                                                                   make_user, smtp, run_jobs):
    """A title typed with CR/LF made every confirmation fail (a header may not hold a line break); nor may it
    smuggle a header of its own."""
    show.update(set__title="Noite\r\nBcc: intruso@example.com\n de Samba")
    order = sell(seller, {0: 1}, customer={"email": "bia@example.com"})
    outbox.relay_once()
    run_jobs()
    (mail,) = smtp.wait(1)
    assert mail["Subject"] == f"Seus ingressos: Noite Bcc: intruso@example.com de Samba (pedido {order.number})"
    assert mail["Bcc"] is None and mail["To"] == "bia@example.com"
    assert Order.objects.get(pk=order.pk).email_status == "sent"
    show.reload()
    lifecycle.set_status(make_user("admin"), show, "cancelled")
    outbox.relay_once()
    run_jobs()
    cancelled = smtp.wait(2)[1]
    assert cancelled["Subject"].startswith("Espetáculo cancelado: Noite Bcc: intruso@example.com de Samba")
    assert cancelled["Bcc"] is None and Order.objects.get(pk=order.pk).cancel_mailed_at


def test_a_hand_over_whose_answer_redis_lost_keeps_the_verdict_the_worker_wrote(app, ctx, sell, seller, smtp,
                                                                                  run_jobs, monkeypatch):
    """Redis took the job but its answer was lost (a timeout), and a fast worker settled the message meanwhile: the
    relay's give-back must not turn the done message back to pending (it would go out a second time)."""
    order = sell(seller, customer={"email": "fast@example.com"})
    enqueue = outbox._enqueue

    def answer_lost(queue, messages):
        enqueue(queue, messages)
        run_jobs()  # the worker was quicker than the relay's give-back
        raise RedisConnectionError("Timeout reading from socket")

    monkeypatch.setattr(outbox, "_enqueue", answer_lost)
    outbox.relay_once()
    assert OutboxMessage.objects.get().status == "done"
    monkeypatch.setattr(outbox, "_enqueue", enqueue)
    assert outbox.relay_once() == 0
    run_jobs()
    assert len(smtp.wait(1)) == 1 and Order.objects.get(pk=order.pk).status == "confirmed"
