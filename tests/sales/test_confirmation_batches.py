"""Confirmations go to RQ in batches (one job for what is due); each order of a batch is still settled on its own:
one that fails is retried and shown as failed alone, and a batch whose worker was killed goes out again with only
its unfinished orders, nobody getting a second e-mail."""
from rq import Queue, SimpleWorker
from rq.registry import StartedJobRegistry

from webapp.models import Order, OutboxMessage
from webapp.services import mail, outbox


def _jobs(app, redis_conn):
    return Queue(app.config["RQ_QUEUE"], connection=redis_conn).get_jobs()


def _inbox_by_address(smtp):
    seen = {}
    for message in smtp.messages:
        seen[message["To"]] = seen.get(message["To"], 0) + 1
    return seen


def test_due_confirmations_go_to_one_job_and_a_refused_one_fails_alone(app, ctx, sell, seller, smtp, redis_conn,
                                                                        run_jobs):
    good = [sell(seller, customer={"email": f"bom{i}@example.com"}) for i in range(3)]
    counter = sell(seller)  # a box-office sale, no e-mail
    bad = sell(seller, customer={"email": "nao-existe@example.com"})
    smtp.refused.add("nao-existe@example.com")
    assert outbox.relay_once() == 5
    assert len(_jobs(app, redis_conn)) == 1  # one RQ job for the five
    run_jobs()  # the first run and both retries (intervals of 0 s in tests)
    assert _inbox_by_address(smtp) == {f"bom{i}@example.com": 1 for i in range(3)}  # once each, not per retry
    for order in [*good, counter]:
        order.reload()
        assert order.status == "confirmed" and OutboxMessage.objects.get(order_number=order.number).status == "done"
    assert [o.email_status for o in good] == ["sent"] * 3 and counter.email_status == "none"
    bad.reload()
    failed = OutboxMessage.objects.get(order_number=bad.number)
    assert bad.status == "confirmed" and bad.email_status == "failed" and "nao-existe" in bad.email_error
    assert failed.status == "failed" and "nao-existe" in failed.last_error  # its own reason, for the admins
    assert OutboxMessage.objects(status="failed").count() == 1


def test_an_order_that_fails_once_is_retried_alone(ctx, sell, seller, smtp, run_jobs, monkeypatch):
    orders = [sell(seller, customer={"email": f"c{i}@example.com"}) for i in range(3)]
    send, refused = mail.send, []

    def flaky(message):  # the server refuses the second customer's e-mail once
        if message["To"] == "c1@example.com" and not refused:
            refused.append(message["To"])
            raise ConnectionResetError("connection reset by peer")
        send(message)

    monkeypatch.setattr(mail, "send", flaky)
    assert outbox.relay_once() == 3 and run_jobs() == 1  # one job; its retry runs for the refused order only
    assert refused and _inbox_by_address(smtp) == {f"c{i}@example.com": 1 for i in range(3)}
    assert {o.reload().email_status for o in orders} == {"sent"}
    assert set(OutboxMessage.objects.distinct("status")) == {"done"}


def test_a_failed_payment_in_a_batch_is_compensated_and_the_others_confirmed(ctx, sell, seller, smtp, run_jobs):
    paid = sell(seller, customer={"email": "pago@example.com"})
    declined = sell(seller, {0: 2}, payments=[{"method": "card", "auth_code": "AUTH77"}])
    Order.objects(pk=declined.pk).update_one(set__payments__0__status="failed")
    assert outbox.relay_once() == 2
    run_jobs()
    assert _inbox_by_address(smtp) == {"pago@example.com": 1}
    assert paid.reload().status == "confirmed" and declined.reload().status == "failed" and declined.released_at
    assert OutboxMessage.objects.get(order_number=paid.number).status == "done"
    assert OutboxMessage.objects.get(order_number=declined.number).status == "failed"


class Killed(BaseException):
    """The worker process dies here (SIGKILL): nothing after this line of the job runs."""


def test_a_batch_killed_mid_way_goes_out_again_with_its_unfinished_orders_only(app, ctx, sell, seller, smtp,
                                                                               redis_conn, run_jobs, monkeypatch):
    orders = [sell(seller, customer={"email": f"k{i}@example.com"}) for i in range(4)]
    assert outbox.relay_once() == 4
    send = mail.send

    def killed_after_the_second(message):  # handed to SMTP, then the worker dies before recording "sent"
        send(message)
        if message["To"] == "k1@example.com":
            raise Killed()

    monkeypatch.setattr(mail, "send", killed_after_the_second)
    worker = SimpleWorker([Queue(app.config["RQ_QUEUE"], connection=redis_conn)], connection=redis_conn)
    job, _queue = worker.dequeue_job_and_maintain_ttl(timeout=1)
    worker.prepare_execution(job)
    worker.prepare_job_execution(job)  # started by this worker, which never beats: as if SIGKILLed
    try:
        job.perform()
    except Killed:
        pass
    monkeypatch.setattr(mail, "send", send)
    assert [o.reload().email_status for o in orders] == ["sent", "sending", "pending", "pending"]
    monkeypatch.setitem(app.config, "OUTBOX_REDELIVER_SECONDS", 0)
    assert outbox.relay_once() == 3  # the abandoned batch's unfinished messages, not the one already done
    assert StartedJobRegistry(job.origin, connection=redis_conn).get_job_ids() == []
    (again,) = _jobs(app, redis_conn)
    assert sorted(m["order_id"] for m in again.kwargs["messages"]) == sorted(str(o.pk) for o in orders[1:])
    run_jobs()
    assert _inbox_by_address(smtp) == {f"k{i}@example.com": 1 for i in range(4)}  # nobody got two
    assert [o.reload().email_status for o in orders] == ["sent", "failed", "sent", "sent"]  # k1: "may have arrived"
    assert {o.status for o in orders} == {"confirmed"}
    assert [OutboxMessage.objects.get(order_number=o.number).status for o in orders] == ["done", "failed", "done",
                                                                                         "done"]
