"""A cancelled show whose e-mail fails for one customer: the progress ends and says to whom and why, and the
retry (real outbox relay, RQ worker and SMTP server) sends only that e-mail, once however often it is asked."""
from tests.refunds.test_cancellation import assert_each_order_refunded_once, cancel
from tests.sale_fixtures import card, cash
from webapp.models import AuditEntry, Order, OutboxMessage
from webapp.services import outbox

HX = {"HX-Request": "true"}


def _progress(client, show):
    return client.get(f"/events/{show.pk}/cancellation", headers=HX).get_data(as_text=True)


def _to(smtp, address):
    return [m for m in smtp.messages if m["To"] == address and "cancelado" in m["Subject"]]


def test_a_failed_email_ends_the_progress_with_who_and_why_and_only_it_is_retried(
        app, client, sell, seller, show, make_user, run_jobs, smtp, logged_in):
    orders = [sell(seller, {0: 2}, payments=[cash()], customer={"name": "Ana", "email": "ana@example.com"}),
              sell(seller, {0: 1}, payments=[card()], customer={"name": "Bia", "email": "bia@example.com"}),
              sell(seller, {0: 1}, payments=[card()])]
    run_jobs()  # the confirmations
    smtp.refused.add("bia@example.com")  # then Bia's mailbox disappears
    cancel(app, show, make_user("admin"))
    run_jobs()
    assert_each_order_refunded_once(show)
    assert len(_to(smtp, "ana@example.com")) == 1 and _to(smtp, "bia@example.com") == []
    message = OutboxMessage.objects.get(kind="event.cancel")
    assert message.status == "done"  # the job ended: the failure is on the order, not a job stuck in retries

    logged_in("manager")
    box = _progress(client, show)
    assert "hx-trigger" not in box  # finished: no more polling
    assert "3 de 3 pedidos reembolsados" in box and "1 de 2 clientes avisados por e-mail" in box
    assert "1 cliente não pôde ser avisado por e-mail:" in box
    assert "bia@example.com" in box and orders[1].number in box and "550 5.1.1 Mailbox unavailable" in box
    assert "ana@example.com" not in box
    assert 'id="retry-cancellation-mail"' in box

    smtp.refused.clear()  # the mailbox exists again
    retry = client.post(f"/events/{show.pk}/cancellation/retry", headers=HX)
    assert retry.status_code == 200
    body = retry.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="cancellation-progress"') and "hx-trigger" in body  # following it
    assert "1 e-mail enviado de novo para a fila." in body
    again = client.post(f"/events/{show.pk}/cancellation/retry", headers=HX)  # a double click
    assert "Nenhum e-mail com falha para enviar de novo." in again.get_data(as_text=True)
    assert OutboxMessage.objects(kind="event.cancel").count() == 2  # one retry queued, not two
    assert AuditEntry.objects(action="cancellation.mail_retry").count() == 1

    with app.test_request_context():
        outbox.relay_once()
    run_jobs()
    assert len(_to(smtp, "bia@example.com")) == 1 and len(_to(smtp, "ana@example.com")) == 1  # only Bia's again
    assert Order.objects.get(pk=orders[1].pk).cancel_mailed_at and not Order.objects.get(pk=orders[1].pk).cancel_mail_error
    box = _progress(client, show)
    assert "2 de 2 clientes avisados por e-mail" in box and "não pôde ser avisado" not in box and "hx-trigger" not in box
    assert OutboxMessage.objects(kind="event.cancel", status="done").count() == 2
    assert_each_order_refunded_once(show)  # the retry refunded nothing twice


def test_a_seller_sees_the_failure_but_only_managers_retry(app, client, sell, seller, show, make_user, run_jobs,
                                                           smtp, logged_in):
    smtp.refused.add("bia@example.com")
    sell(seller, {0: 1}, payments=[card()], customer={"email": "bia@example.com"})
    cancel(app, show, make_user("admin"))
    run_jobs()
    logged_in("seller")
    box = _progress(client, show)
    assert "bia@example.com" in box and "retry-cancellation-mail" not in box
    assert "Um gerente pode enviá-los de novo nesta página." in box
    assert client.post(f"/events/{show.pk}/cancellation/retry", headers=HX).status_code == 403


def test_no_retry_while_the_refunds_are_still_running(app, client, sell, seller, show, make_user, logged_in):
    first = sell(seller, {0: 1}, customer={"email": "ana@example.com"})
    sell(seller, {0: 1}, customer={"email": "bia@example.com"})
    cancel(app, show, make_user("admin"))  # queued, not run yet
    Order.objects(pk=first.pk).update_one(set__cancel_mail_error="421 try later")  # as if failed mid-way
    logged_in("manager")
    assert "hx-trigger" in _progress(client, show) and "421 try later" not in _progress(client, show)
    response = client.post(f"/events/{show.pk}/cancellation/retry", headers=HX)
    assert response.status_code == 409 and "ainda estão em andamento" in response.get_data(as_text=True)
    assert OutboxMessage.objects(kind="event.cancel").count() == 1
