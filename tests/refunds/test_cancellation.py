"""Cancelling a show: an outbox-queued RQ job refunds every order once (even across a killed worker) and
e-mails the customers; staff settle the pending refunds."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from rq import Queue

from tests.sale_fixtures import card, cash
from webapp.models import AuditEntry, Inventory, Order, OutboxMessage, Shift, Ticket
from webapp.services import cancellation, lifecycle, outbox

ROOT = Path(__file__).resolve().parents[2]


def cancel(app, show, admin):
    with app.test_request_context():
        lifecycle.set_status(admin, show, "cancelled")
        assert OutboxMessage.objects(kind="event.cancel").count() == 1
        assert outbox.relay_once() >= 1


def assert_each_order_refunded_once(show):
    for order in Order.objects(event_id=show.pk):
        mine = [r for r in order.refunds if r.kind == "cancellation"]
        paid = sum(p.amount_cents for p in order.payments if p.method != "comp")
        assert order.status == "refunded" and order.refunded_cents == paid, order.number
        assert sum(r.amount_cents for r in mine) == paid and {r.status for r in mine} == {"pending"}
        assert AuditEntry.objects(action="cancellation", order_number=order.number).count() == 1
    assert Ticket.objects(event_id=show.pk, status__ne="void").count() == 0
    counter = Inventory.objects.get(key=Inventory.event_key(show.pk))
    assert counter.sold == 0 and counter.remaining == counter.quota


def test_cancelled_show_refunds_and_emails_everyone(app, client, sell, seller, show, make_user, run_jobs, smtp,
                                                    logged_in):
    orders = [sell(seller, {0: 2}, payments=[cash()], customer={"name": "Ana", "email": "ana@example.com"}),
              sell(seller, {0: 1}, payments=[card()]),
              sell(seller, {0: 1}, payments=[{"method": "pix", "reference": "E2E-000111"}],
                   customer={"email": "bia@example.com"})]
    cancel(app, show, make_user("admin"))
    run_jobs()
    assert_each_order_refunded_once(show)
    mails = [m for m in smtp.wait(4) if "cancelado" in m["Subject"]]
    assert sorted(m["To"] for m in mails) == ["ana@example.com", "bia@example.com"]
    body = next(m for m in mails if m["To"] == "ana@example.com").get_body().get_content()
    assert "Olá Ana" in body and orders[0].number in body and "200,00" in body
    assert "(Dinheiro)" in body  # the method named in the customer's language, not a code
    assert Order.objects(event_id=show.pk, cancel_mailed_at=None).count() == 1  # the one without an address
    manager = logged_in("manager")
    fragment = client.get(f"/events/{show.pk}/cancellation", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "3 de 3 pedidos reembolsados" in fragment and "hx-trigger" not in fragment
    assert "cancellation-progress" in client.get(f"/events/{show.pk}").get_data(as_text=True)
    pending = client.get("/refunds/pending").get_data(as_text=True)
    assert orders[1].number in pending and orders[2].number in pending
    response = client.post(f"/refunds/pending/{orders[0].number}/0", headers={"HX-Request": "true"})
    assert response.status_code == 400 and "turno" in response.get_data(as_text=True)  # cash needs a drawer
    client.post("/shift/open", data={"opening_float": "300,00"})
    client.post(f"/refunds/pending/{orders[0].number}/0", headers={"HX-Request": "true"})
    client.post(f"/refunds/pending/{orders[1].number}/0", data={"reference": "REV-4444"}, headers={"HX-Request": "true"})
    assert Order.objects.get(pk=orders[0].pk).refunds[0].status == "settled"
    assert Order.objects.get(pk=orders[1].pk).refunds[0].reference == "REV-4444"
    assert Shift.objects.get(seller_id=manager.pk).cash_refunds_cents == 200_00
    again = client.post(f"/refunds/pending/{orders[0].number}/0", headers={"HX-Request": "true"})
    assert again.status_code == 409 and Shift.objects.get(seller_id=manager.pk).cash_refunds_cents == 200_00


def _wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_worker_killed_mid_cancellation_then_restarted_refunds_each_order_once(app, sell, seller, show, make_user,
                                                                               run_jobs, smtp):
    for i in range(10):
        sell(seller, {0: 1}, payments=[cash()] if i % 2 else [card()], customer={"email": f"c{i}@example.com"})
    run_jobs()  # the sales' confirmations, so only the cancellation is left for the worker below
    smtp.messages.clear()
    cancel(app, show, make_user("admin"))
    env = dict(os.environ, CANCELLATION_BATCH_SIZE="2", CANCELLATION_BATCH_DELAY="0.5")
    worker = subprocess.Popen([sys.executable, "worker.py"], cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: cancellation.progress(show.pk)["done"] >= 2)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its work horse, mid-job
        worker.wait()
    with app.app_context():
        halfway = cancellation.progress(show.pk)
    assert 2 <= halfway["done"] < 10
    with app.test_request_context():
        assert cancellation.resume_unfinished() == [show.pk]
    run_jobs()  # a new worker finishes the job
    assert_each_order_refunded_once(show)
    assert Order.objects(event_id=show.pk, cancel_mailed_at=None).count() == 0
    assert {m["To"] for m in smtp.messages} == {f"c{i}@example.com" for i in range(10)}


def test_resume_command_requeues_only_unfinished_cancellations(app, sell, seller, show, make_user, redis_conn):
    sell(seller, {0: 1})
    with app.test_request_context():
        lifecycle.set_status(make_user("admin"), show, "cancelled")
    result = app.test_cli_runner().invoke(args=["resume-cancellations"])
    assert "1 show(s) queued" in result.output
    assert any(job.func_name == cancellation.JOB for job in Queue(app.config["RQ_QUEUE"], connection=redis_conn).jobs)
