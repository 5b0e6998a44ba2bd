"""The saga's compensation for a payment declared failed: what it gives back, what it leaves for staff, once only."""
import csv
import io
import threading

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import card, cash
from webapp.models import AuditEntry, Inventory, Order, OutboxMessage, SalesDay, Shift, Ticket
from webapp.services import aggregates, door, exchanges, orders, outbox, refunds, shifts


def fail_payment_and_confirm(order, run_jobs, index=0):
    """The acquirer declares the payment failed; the confirmation job then runs the compensation."""
    Order.objects(pk=order.pk).update_one(**{f"set__payments__{index}__status": "failed"})
    outbox.relay_once()
    run_jobs()
    order.reload()
    return OutboxMessage.objects.get(order_number=order.number)


def codes(order, status=None):
    query = {"order_id": order.pk} if status is None else {"order_id": order.pk, "status": status}
    return [t.code for t in Ticket.objects(**query).order_by("id")]


def report_rows(client, kind):
    """A report's CSV export as pt-BR spreadsheets read it (`;` between fields, decimal comma)."""
    text = client.get(f"/reports/{kind}/export.csv").get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def sales_total(client):
    """The sales report's totals row, by column title."""
    rows = report_rows(client, "sales")
    return dict(zip(rows[0], rows[-1]))


def assert_rebuild_agrees(app):
    """The live report buckets are exactly what the rebuild replays from the stored orders."""
    def buckets():
        return {d["_id"]: {k: v for k, v in d.items() if v not in (0, {}, None)} for d in SalesDay._get_collection().find()}

    live = buckets()
    with app.app_context():
        aggregates.rebuild()
    assert buckets() == live


def test_a_payment_failing_after_its_shift_closed_leaves_the_closed_shift_as_counted(
        app, client, ctx, sell, seller, show, run_jobs, make_user, login):
    order = sell(seller, {0: 2}, payments=[cash(amount=50_00), card("AUTH55")])  # R$ 50 cash + R$ 150 card
    shift = shifts.current_shift(seller)
    shifts.close_shift(seller, shift, shift.expected_cash)
    closed = Shift._get_collection().find_one({"_id": shift.pk})
    message = fail_payment_and_confirm(order, run_jobs, index=1)
    assert order.status == "failed" and order.release_notes == ["shift_closed"]
    assert Shift._get_collection().find_one({"_id": shift.pk}) == closed  # expected cash and difference still match
    assert set(codes(order, "void")) == set(codes(order))
    assert Inventory.objects.get(pk=Inventory.tier_key(tiers_of(show)[0].pk)).remaining == 100
    assert "sale undone" in message.last_error
    login(make_user("manager"))
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "Pagamento falhou" in page and "turno de caixa já estava fechado" in page
    # The reports take the money out on the day of the release, not out of the closed shift.
    total = sales_total(client)
    assert (total["Bruto"], total["Reembolsos"], total["Líquido"]) == ("200,00", "200,00", "0,00")
    shift_rows = report_rows(client, "shifts")
    assert shift_rows[1][shift_rows[0].index("Diferença")] == "0,00"
    assert_rebuild_agrees(app)


def test_a_failed_payment_in_an_open_shift_takes_the_sale_out_of_it(ctx, sell, seller, run_jobs):
    order = sell(seller, {0: 2}, payments=[cash(amount=50_00, tendered=100_00), card()])
    refunds.void_tickets(seller, order, codes(order)[:1])  # R$ 50 cash and R$ 50 card went back already
    fail_payment_and_confirm(order, run_jobs, index=1)
    shift = shifts.current_shift(seller)
    assert order.status == "failed" and not order.release_notes
    assert shift.totals_by_method == {"cash": 0, "card": 0} and shift.expected_cash == 100_00  # the float alone


def test_tickets_used_at_the_door_stay_used_and_the_order_is_flagged(app, client, ctx, sell, seller, show, run_jobs,
                                                                     make_user, login):
    order = sell(seller, {0: 3}, payments=[card()])
    doorman = make_user("door")
    inside = codes(order)[0]
    assert door.admit(inside, str(show.pk), "Norte", doorman).admitted
    fail_payment_and_confirm(order, run_jobs)
    assert Ticket.objects.get(code=inside).status == "used"
    assert sorted(codes(order, "void")) == sorted(codes(order)[1:])
    assert Inventory.objects.get(pk=Inventory.tier_key(tiers_of(show)[0].pk)).remaining == 99
    assert Inventory.objects.get(pk=Inventory.event_key(show.pk)).sold == 1
    assert order.release_notes == ["used_tickets"]
    (entry,) = AuditEntry.objects(action="order.release")
    assert entry.after["tickets_voided"] == sorted(codes(order)[1:])
    login(make_user("manager"))
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "1 ingresso já tinha sido usado na portaria" in page and "cobre o pagamento ou dê baixa" in page
    total = sales_total(client)
    assert (total["Devolvidos"], total["Ingressos líquidos"], total["Líquido"]) == ("2", "1", "0,00")
    assert_rebuild_agrees(app)


def test_a_partly_refunded_order_has_its_remaining_tickets_released_once(app, ctx, sell, seller, manager, show,
                                                                         run_jobs):
    order = sell(seller, {0: 3}, payments=[card()])
    refunds.refund_tickets(manager, order, codes(order)[:1], method="card", reference="REV-0001", reason="Desistiu")
    assert Order.objects.get(pk=order.pk).status == "partially_refunded"
    message = fail_payment_and_confirm(order, run_jobs)
    assert order.status == "failed" and set(codes(order, "void")) == set(codes(order))
    assert Inventory.objects.get(pk=Inventory.tier_key(tiers_of(show)[0].pk)).remaining == 100
    assert "sale undone" in message.last_error
    assert orders.release_order(order.pk, "again") is False
    assert Inventory.objects.get(pk=Inventory.tier_key(tiers_of(show)[0].pk)).remaining == 100
    assert AuditEntry.objects(action="order.release").count() == 1
    assert_rebuild_agrees(app)


def test_nothing_left_to_release_is_reported_as_such(ctx, sell, seller, run_jobs):
    order = sell(seller, {0: 1}, payments=[card()])
    refunds.void_tickets(seller, order)
    message = fail_payment_and_confirm(order, run_jobs)
    assert order.status == "voided" and "already voided, nothing left to release" in message.last_error
    assert AuditEntry.objects(action="order.release").count() == 0


def test_an_exchanged_order_keeps_its_credit_owed_not_refunded(app, client, ctx, sell, seller, manager, run_jobs,
                                                              login):
    vip = make_event(title="Samba VIP", tiers=(("VIP", 150_00, 10),))
    old = sell(seller, {0: 1}, payments=[cash()])
    new = exchanges.exchange_tickets(manager, old, codes(old), event_id=vip.pk, tier_id=tiers_of(vip)[0].pk,
                                     reason="Upgrade", idempotency_key="exchange-release-01", payments=[card("UPG9")])
    assert (new.credit_cents, new.payments[0].amount_cents) == (100_00, 50_00)
    fail_payment_and_confirm(new, run_jobs)
    assert new.status == "failed" and new.release_notes == ["credit_held"]
    assert Inventory.objects.get(pk=Inventory.tier_key(tiers_of(vip)[0].pk)).remaining == 10
    assert shifts.current_shift(manager).totals_by_method["card"] == 0
    login(manager)
    page = client.get(f"/orders/{new.number}").get_data(as_text=True)
    assert f"O crédito de R$\xa0100,00 trazido do pedido {old.number} não foi reembolsado" in page
    # Only the R$ 50 card difference leaves the figures; the R$ 100 paid on the old order is still held.
    total = sales_total(client)
    assert total["Líquido"] == "100,00"
    assert_rebuild_agrees(app)


def test_concurrent_releases_give_back_once(app, sell, seller, show):
    order = sell(seller, {0: 4}, payments=[card()])
    Order.objects(pk=order.pk).update_one(set__payments__0__status="failed")
    results, barrier = [], threading.Barrier(4)

    def release():
        with app.app_context():
            barrier.wait()
            results.append(orders.release_order(order.pk, "payment not confirmed"))

    threads = [threading.Thread(target=release) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert Inventory.objects.get(pk=Inventory.tier_key(tiers_of(show)[0].pk)).remaining == 100
    assert Inventory.objects.get(pk=Inventory.event_key(show.pk)).sold == 0
    assert shifts.current_shift(seller).totals_by_method["card"] == 0
    assert AuditEntry.objects(action="order.release").count() == 1
    assert_rebuild_agrees(app)


def test_a_sale_undone_for_its_failed_payment_cannot_be_refunded(ctx, sell, seller, manager, show, run_jobs,
                                                                  make_user):
    import pytest

    from webapp.services import ServiceError

    order = sell(seller, {0: 2}, payments=[card()])
    inside = codes(order)[0]
    door.admit(inside, str(show.pk), "Norte", make_user("door"))
    fail_payment_and_confirm(order, run_jobs)
    with pytest.raises(ServiceError, match="pagamento falhou"):
        refunds.refund_tickets(manager, order, [inside], method="cash", reason="Pediu", override_used=True,
                               override_reason="Gerente autorizou")
    order.reload()
    assert order.refunded_cents == 0 and Ticket.objects.get(code=inside).status == "used"
    assert Shift.objects.get(seller_id=manager.pk).cash_refunds_cents == 0
