"""The sale service: prices, payments, limits and permissions, each refusal leaving nothing half-written."""
import uuid
from datetime import timedelta

import pytest

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import cash
from webapp.models import AuditEntry, Inventory, Order, OutboxMessage, Shift, Ticket
from webapp.models.base import utcnow
from webapp.services import ServiceError, sales, shifts
from webapp.services.sale_keys import KeyReused


def counters(event):
    return {c.kind + ("" if c.kind != "tier" else str(c.ticket_type_id)): (c.sold, c.remaining)
            for c in Inventory.objects(event_id=event.pk)}


def assert_nothing_written(event, before):
    assert Order.objects.count() == 0 and Ticket.objects.count() == 0 and OutboxMessage.objects.count() == 0
    assert AuditEntry.objects(action="sale").count() == 0
    assert counters(event) == before


def test_cash_sale_with_change_writes_everything_in_one_go(sell, seller, show):
    order = sell(seller, {0: 2}, payments=[cash(tendered=250_00)], customer={"name": " Ana ", "email": "Ana@Example.com"})
    assert order.total_cents == 200_00 and order.ticket_count == 2 and order.status == "pending"
    assert order.number and len(order.number) == 13 and order.customer.email == "ana@example.com"
    (payment,) = order.payments
    assert (payment.method, payment.amount_cents, payment.tendered_cents, payment.change_cents) == ("cash", 200_00, 250_00, 50_00)
    tickets = Ticket.objects(order_id=order.pk)
    assert tickets.count() == 2 and all(len(t.code) >= 22 for t in tickets)
    assert len({t.code for t in tickets}) == 2
    inteira = tiers_of(show)[0]
    assert Inventory.objects.get(key=Inventory.tier_key(inteira.pk)).remaining == 98
    assert Inventory.objects.get(key=Inventory.event_key(show.pk)).sold == 2
    assert OutboxMessage.objects.get().payload == {"order_id": str(order.pk)}
    assert AuditEntry.objects.get(action="sale").order_number == order.number
    shift = shifts.current_shift(seller)
    assert shift.totals_by_method == {"cash": 200_00} and shift.cash_in_cents == 250_00
    assert shift.change_out_cents == 50_00 and shift.expected_cash == 100_00 + 200_00


def test_card_and_pix_need_their_codes(sell, seller):
    with pytest.raises(ServiceError, match="autorização"):
        sell(seller, payments=[{"method": "card"}])
    with pytest.raises(ServiceError, match="Pix"):
        sell(seller, payments=[{"method": "pix", "reference": ""}])
    card = sell(seller, payments=[{"method": "card", "auth_code": "A1B2C3"}])
    pix = sell(seller, payments=[{"method": "pix", "reference": "E2E-12345678"}])
    assert card.payments[0].auth_code == "A1B2C3" and pix.payments[0].reference == "E2E-12345678"
    assert shifts.current_shift(seller).totals_by_method == {"card": 100_00, "pix": 100_00}


def test_short_tender_is_refused(sell, seller, show):
    before = counters(show)
    with pytest.raises(ServiceError, match="Troco insuficiente|Valor insuficiente"):
        sell(seller, {0: 2}, payments=[cash(tendered=150_00)])
    assert_nothing_written(show, before)


def test_split_payment_must_add_up_exactly(sell, seller, show):
    before = counters(show)
    with pytest.raises(ServiceError, match="somam"):
        sell(seller, {0: 3}, payments=[cash(amount=100_00), {"method": "card", "amount_cents": 150_00, "auth_code": "XYZ9"}])
    assert_nothing_written(show, before)
    order = sell(seller, {0: 3}, payments=[cash(amount=100_00, tendered=120_00),
                                           {"method": "card", "amount_cents": None, "auth_code": "XYZ9"}])
    assert [(p.method, p.amount_cents) for p in order.payments] == [("cash", 100_00), ("card", 200_00)]
    assert order.payments[0].change_cents == 20_00


def test_tampered_price_changes_nothing(client, logged_in, show):
    user = logged_in("seller")
    client.post("/shift/open", data={"opening_float": "0"})
    tier = tiers_of(show)[0]
    response = client.post(f"/sell/{show.pk}", data={
        "key": str(uuid.uuid4()), f"qty-{tier.pk}": "1", f"price-{tier.pk}": "1", "total": "1",
        "unit_price_cents": "1", "cash_tendered": "100,00"})
    assert response.status_code == 302, response.get_data(as_text=True)
    order = Order.objects.get(seller_id=user.pk)
    assert order.total_cents == 100_00 and order.lines[0].unit_price_cents == 100_00


def test_comps_need_a_manager_or_the_sellers_allowance(sell, seller, make_user, ctx, show):
    comp = [{"method": "comp", "comp_reason": "Imprensa"}]
    with pytest.raises(ServiceError, match="motivo"):
        sell(seller, payments=[{"method": "comp", "comp_reason": ""}])
    order = sell(seller, {0: 2}, payments=comp)  # allowance 2 per shift
    assert order.comp_count == 2 and order.payments[0].method == "comp"
    with pytest.raises(ServiceError, match="cortesia"):
        sell(seller, {0: 1}, payments=comp)
    stingy = make_user("seller")
    shifts.open_shift(stingy, 0)
    with pytest.raises(ServiceError, match="cortesia"):
        sell(stingy, payments=comp)
    manager = make_user("manager")
    shifts.open_shift(manager, 0)
    assert sell(manager, {0: 5}, payments=comp).comp_count == 5
    assert shifts.current_shift(seller).comps_given == 2
    with pytest.raises(ServiceError, match="misturad"):
        sell(manager, {0: 2}, payments=[comp[0], cash(amount=100_00)])


def test_concession_needs_one_document_per_ticket_and_respects_the_cap(sell, seller, ctx):
    event = make_event(title="Meia show", capacity=10, tiers=(("Inteira", 80_00, 10),),
                       concession_tiers=(("Meia", 40_00, 10),))  # cap 40% of 10 = 4
    meia = tiers_of(event)[1]
    with pytest.raises(ServiceError, match="documento"):
        sell(seller, {1: 2}, event=event, documents={str(meia.pk): ["123.456.789-00"]})
    order = sell(seller, {1: 3}, event=event, documents={str(meia.pk): ["111", "222", "333"]})
    assert sorted(t.holder_document for t in Ticket.objects(order_id=order.pk)) == ["111", "222", "333"]
    assert order.total_cents == 120_00 and order.lines[0].is_concession
    with pytest.raises(sales.SoldOut, match="Só resta 1"):
        sell(seller, {1: 2}, event=event, documents={str(meia.pk): ["444", "555"]})


def test_tier_of_another_show_is_refused(sell, seller, show):
    other = make_event(title="Outro show")
    foreign = tiers_of(other)[0]
    before = counters(show)
    with pytest.raises(ServiceError, match="não é um tipo de ingresso deste show"):
        sell(seller, {foreign.pk: 1})
    assert_nothing_written(show, before)


@pytest.mark.parametrize("status", ["draft", "sales_closed", "cancelled", "finished"])
def test_show_not_on_sale_is_refused(sell, seller, status):
    event = make_event(title=f"Show {status}", status=status)
    with pytest.raises(ServiceError, match="não está à venda"):
        sell(seller, event=event)


def test_sales_window_is_respected(sell, seller):
    later = make_event(title="Later", sales_start=utcnow() + timedelta(days=1))
    with pytest.raises(ServiceError, match="abrem"):
        sell(seller, event=later)
    over = make_event(title="Over", sales_end=utcnow() - timedelta(hours=1))
    with pytest.raises(ServiceError, match="encerradas"):
        sell(seller, event=over)


def test_sale_without_an_open_shift_is_refused(sell, make_user, show, seller):
    nobody = make_user("seller")
    with pytest.raises(ServiceError, match="turno"):
        sell(nobody)
    shifts.close_shift(seller, shifts.current_shift(seller), 100_00)
    with pytest.raises(ServiceError, match="turno"):
        sell(seller)
    assert Order.objects.count() == 0


def test_per_order_limits_of_show_and_tier(sell, seller, ctx):
    event = make_event(title="Limits", max_per_order=4, tiers=(("VIP", 300_00, 50), ("Pista", 100_00, 50)))
    vip = tiers_of(event)[0]
    vip.update(set__max_per_order=2)
    with pytest.raises(ServiceError, match="No máximo 4"):
        sell(seller, {1: 5}, event=event)
    with pytest.raises(ServiceError, match="No máximo 2"):
        sell(seller, {0: 3}, event=event)
    assert sell(seller, {0: 2, 1: 2}, event=event).ticket_count == 4


def test_sold_out_and_only_n_left(sell, seller, ctx):
    event = make_event(title="Tiny", capacity=3, tiers=(("Única", 50_00, 3),))
    with pytest.raises(sales.SoldOut, match="Só restam 3"):
        sell(seller, {0: 4}, event=event)
    sell(seller, {0: 3}, event=event)
    with pytest.raises(sales.SoldOut, match="Esgotado"):
        sell(seller, {0: 1}, event=event)


def test_repeated_key_returns_the_first_order_of_the_same_request_only(sell, seller, make_user):
    first = sell(seller, {0: 2}, payments=[cash(300_00)], customer={"name": "Ana"}, key="same-key-123")
    again = sell(seller, {0: 2}, payments=[{"tendered_cents": 300_00, "method": "cash", "auth_code": ""}],
                 customer={"name": " Ana "}, key="same-key-123")  # the same request, laid out otherwise
    assert again.pk == first.pk and Order.objects.count() == 1 and Ticket.objects.count() == 2
    for changed in ({"quantities": {0: 3}}, {"payments": [cash(500_00)]}, {"customer": {"name": "Bia"}}):
        with pytest.raises(KeyReused, match=f"já vendeu o pedido {first.number}") as refused:
            sell(seller, **{"quantities": {0: 2}, "payments": [cash(300_00)], "customer": {"name": "Ana"},
                            **changed}, key="same-key-123")
        assert refused.value.status == 422
    with pytest.raises(ServiceError, match="já foi usada"):  # another seller's key is refused whatever it asks
        sell(make_user("manager"), {0: 2}, payments=[cash(300_00)], customer={"name": "Ana"}, key="same-key-123")
    assert Order.objects.count() == 1 and Ticket.objects.count() == 2


def test_bad_input_is_a_clear_error(sell, seller, show):
    for kwargs in ({"quantities": {"nope": 1}}, {"quantities": {str(tiers_of(show)[0].pk): -1}},
                   {"quantities": {}}, {"payments": [{"method": "bitcoin"}]},
                   {"customer": {"email": "not-an-email"}}, {"key": "x"}):
        quantities = kwargs.pop("quantities", None)
        with pytest.raises(ServiceError):
            if quantities is not None:
                sales.sell(seller, event_id=str(show.pk), quantities=quantities, payments=[cash()],
                           idempotency_key=str(uuid.uuid4()))
            else:
                sell(seller, **kwargs)
    assert Order.objects.count() == 0


def test_shift_close_reckons_expected_cash_and_difference(sell, seller):
    sell(seller, {0: 1}, payments=[cash(tendered=150_00)])
    sell(seller, {0: 1}, payments=[{"method": "card", "auth_code": "OK1234"}])
    shift = shifts.close_shift(seller, shifts.current_shift(seller), 195_00)
    assert shift.status == "closed" and shift.expected_cash_cents == 200_00 and shift.difference_cents == -5_00
    summary = shifts.shift_summary(shift)
    assert summary["by_method"] == {"card": 100_00, "cash": 100_00} and summary["change_out"] == 50_00
    assert Shift.objects(seller_id=seller.pk, status="open").count() == 0


def test_one_open_shift_per_seller(seller, ctx):
    with pytest.raises(ServiceError, match="já tem um turno"):
        shifts.open_shift(seller, 0)


@pytest.mark.parametrize("payment, says", [
    ({"method": "comp", "comp_reason": "x"}, "O motivo da cortesia precisa ter de 3 a 200 caracteres."),
    ({"method": "card", "auth_code": "123"},
     "O código de autorização tem de 4 a 40 letras ou algarismos (e . _ / -), sem espaços."),
    ({"method": "pix", "reference": "E2E 123"},
     "O identificador Pix tem de 4 a 80 letras ou algarismos (e . _ / -), sem espaços."),
])
def test_an_identifier_typed_but_not_acceptable_is_refused_saying_what_it_needs(sell, seller, ctx, show, payment,
                                                                                  says):
    """A reason or code was typed: asking for it again ("Informe o motivo da cortesia.") reads as if it was not."""
    with pytest.raises(ServiceError) as refused:
        sell(seller, payments=[payment])
    assert refused.value.message == says
    assert Order.objects.count() == 0
