"""Races around a sale in flight: a show cancelled meanwhile, a job that finishes before the relay notes it."""
import pytest

from webapp.models import Event, Inventory, Order, OutboxMessage
from webapp.services import ServiceError, aggregates, lifecycle, outbox


def _meanwhile(monkeypatch, action):
    """Run `action` once, from another session, while the sale's transaction is half-way (order inserted)."""
    real, fired = aggregates.record_sale, []

    def record_sale(session, order):
        if not fired:
            fired.append(True)
            action()
        return real(session, order)

    monkeypatch.setattr(aggregates, "record_sale", record_sale)
    return fired


def test_a_show_cancelled_while_a_sale_is_in_flight_refuses_the_sale(ctx, sell, seller, show, make_user,
                                                                      monkeypatch):
    admin = make_user("admin")
    fired = _meanwhile(monkeypatch, lambda: lifecycle.set_status(admin, Event.objects.get(pk=show.pk), "cancelled"))
    with pytest.raises(ServiceError, match="não está à venda"):
        sell(seller, {0: 2})
    assert fired and Event.objects.get(pk=show.pk).status == "cancelled"
    # Nothing sold on a cancelled show: no order the refund job could miss, the seats untouched.
    assert Order.objects.count() == 0
    assert Inventory.objects.get(key=Inventory.event_key(show.pk)).sold == 0


def test_a_show_cancelled_after_an_earlier_sale_still_refunds_the_one_in_flight(ctx, sell, seller, show, make_user,
                                                                                monkeypatch):
    admin = make_user("admin")
    first = sell(seller, {0: 1})
    _meanwhile(monkeypatch, lambda: lifecycle.set_status(admin, Event.objects.get(pk=show.pk), "cancelled"))
    with pytest.raises(ServiceError, match="não está à venda"):
        sell(seller, {0: 2})
    assert [o.number for o in Order.objects] == [first.number]
    assert OutboxMessage.objects(kind="event.cancel").count() == 1


def test_a_job_done_before_the_relay_notes_the_dispatch_keeps_its_verdict(app, ctx, sell, seller, monkeypatch):
    sell(seller)
    real = outbox._push

    def push_and_finish(queue, messages):
        job = real(queue, messages)
        outbox.finish(messages[0]["_id"])  # a fast worker: the job ran and finished before the relay's next write
        return job

    monkeypatch.setattr(outbox, "_push", push_and_finish)
    assert outbox.relay_once() == 1
    assert OutboxMessage.objects.get().status == "done"


def test_tickets_left_after_a_refund_before_confirmation_are_still_emailed(ctx, sell, seller, manager, smtp, run_jobs):
    """Redis was down (or the refund was quick): the confirmation runs after part of the order went back."""
    from webapp.models import Ticket
    from webapp.services import refunds

    order = sell(seller, {0: 2}, customer={"email": "bia@example.com"})
    first = Ticket.objects(order_id=order.pk).order_by("id").first()
    refunds.refund_tickets(manager, order, [first.code], method="cash", reason="Desistiu de um")
    assert outbox.relay_once() == 1 and run_jobs() == 1
    (mail,) = smtp.wait(1)
    assert mail.get_body(("html",)).get_content().count("<svg") == 1  # the ticket still valid, not the refunded one
    order.reload()
    assert order.status == "partially_refunded" and order.email_status == "sent"
    assert OutboxMessage.objects.get().status == "done"
