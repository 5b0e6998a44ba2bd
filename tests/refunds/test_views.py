"""The order page's void/refund/exchange actions: roles, the recent-login check, HTMX fragments."""
import re
from datetime import timedelta

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import card, cash
from webapp.models import AuthSession, Order, Ticket
from webapp.models.base import utcnow


def _order(app, sell, user, **kw):
    with app.test_request_context():
        return sell(user, **kw)


def test_seller_voids_own_sale_from_the_order_page(app, client, logged_in, sell):
    from webapp.services import shifts

    user = logged_in("seller")
    with app.test_request_context():
        shifts.open_shift(user, 0)
    order = _order(app, sell, user, quantities={0: 2}, payments=[cash()])
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert 'id="order-actions"' in page and "Anular" in page and "refunds/" not in page
    code = Ticket.objects(order_id=order.pk).first().code
    response = client.post(f"/orders/{order.number}/void", data={"ticket": code, "key": "void-key-000001"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith("<section") or 'id="order-actions"' in body
    assert "1 ingresso devolvido; valor restituído: R$" in body  # one ticket, said as one (not "ingresso(s)")
    assert Ticket.objects.get(code=code).status == "void"
    assert Order.objects.get(pk=order.pk).status == "partially_refunded"


def test_a_void_says_how_many_tickets_in_english_too(app, client, logged_in, sell):
    from webapp.services import shifts

    user = logged_in("seller", locale="en")
    with app.test_request_context():
        shifts.open_shift(user, 0)
    order = _order(app, sell, user, quantities={0: 2}, payments=[cash()])
    body = client.post(f"/orders/{order.number}/void", data={"key": "void-key-000002"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "2 tickets given back, R$" in body and "ticket(s)" not in body


def test_refund_by_a_seller_is_forbidden(app, client, logged_in, sell, seller):
    order = _order(app, sell, seller)
    logged_in("seller")
    response = client.post(f"/orders/{order.number}/refund", data={"method": "cash", "reason": "Quero"})
    assert response.status_code == 403
    assert Order.objects.get(pk=order.pk).refunded_cents == 0


def test_refund_needs_a_fresh_login_and_keeps_what_was_typed(app, client, logged_in, sell, seller):
    order = _order(app, sell, seller, payments=[card()])
    manager = logged_in("manager")
    # Signed in an hour ago: the password must be typed again before a refund.
    AuthSession.objects(user_id=manager.pk).update(set__fresh_at=utcnow() - timedelta(hours=1))
    code = Ticket.objects.get(order_id=order.pk).code
    data = {"ticket": code, "reason": "Cliente desistiu de ir", "key": "refund-key-view-01"}
    response = client.post(f"/orders/{order.number}/refund", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/reauthenticate?next=/orders/")
    assert Order.objects.get(pk=order.pk).refunded_cents == 0
    response = client.post(response.headers["HX-Redirect"], data={"password": "secret-pass"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/orders/{order.number}")
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    # What the manager typed before the password prompt is there again: the reason and the ticket ticked.
    assert 'value="Cliente desistiu de ir"' in page and f'value="{code}" checked' in page
    step1 = client.post(f"/orders/{order.number}/refund", data=data, headers={"HX-Request": "true"})
    body = step1.get_data(as_text=True)
    assert step1.status_code == 200 and 'id="refund-confirm"' in body and "Cartão" in body
    assert Order.objects.get(pk=order.pk).refunded_cents == 0  # nothing happens before the confirmation
    confirm = dict(data, confirm="1", split_card="100,00", reference_card="REV-0009")
    response = client.post(f"/orders/{order.number}/refund", data=confirm, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "100,00" in response.get_data(as_text=True)
    assert Order.objects.get(pk=order.pk).status == "refunded"


def test_refund_refusal_comes_back_in_the_confirmation(app, client, logged_in, sell, seller):
    order = _order(app, sell, seller, payments=[card()])
    logged_in("manager")
    data = {"reason": "Desistiu", "confirm": "1", "split_card": "100,00", "key": "refund-key-view-02"}
    response = client.post(f"/orders/{order.number}/refund", data=data, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "referência" in body
    assert 'id="refund-confirm"' in body and 'value="100,00"' in body  # the split typed is still there
    response = client.post(f"/orders/{order.number}/refund", data=dict(data, split_card="", split_pix="100,00"),
                           headers={"HX-Request": "true"})
    assert response.status_code == 400 and "Pix" in response.get_data(as_text=True)  # nothing was paid by Pix
    assert Order.objects.get(pk=order.pk).refunded_cents == 0


def test_a_fully_voided_order_offers_nothing_to_print(app, client, logged_in, sell):
    from webapp.services import shifts

    user = logged_in("seller")
    with app.test_request_context():
        shifts.open_shift(user, 0)
    order = _order(app, sell, user, quantities={0: 1}, payments=[cash()])
    assert 'id="print-button"' in client.get(f"/orders/{order.number}").get_data(as_text=True)
    client.post(f"/orders/{order.number}/void", data={"key": "void-key-000002"})
    assert Order.objects.get(pk=order.pk).status == "voided"
    assert 'id="print-button"' not in client.get(f"/orders/{order.number}").get_data(as_text=True)


def test_an_upgrade_paid_in_cash_ignores_the_refund_method_left_at_card(app, client, logged_in, sell, seller):
    from webapp.services import shifts

    order = _order(app, sell, seller, quantities={0: 1}, payments=[cash()])
    vip = make_event(title="Samba VIP", tiers=(("VIP", 150_00, 10),))
    manager = logged_in("manager")
    with app.test_request_context():
        shifts.open_shift(manager, 100_00)
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "Samba VIP" in page  # offered as an exchange target
    data = {"ticket": Ticket.objects.get(order_id=order.pk).code, "target": f"{vip.pk}/{tiers_of(vip)[0].pk}",
            "reason": "Upgrade para o VIP", "key": "exchange-key-view-01", "cash_tendered": "50,00",
            "reference_card": ""}  # the reference boxes always post; nothing goes back here
    response = client.post(f"/orders/{order.number}/exchange", data=data, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Troca feita: novo pedido" in body and "referência" not in body
    new = Order.objects.get(exchanged_from=order.number)
    assert [(p.method, p.amount_cents) for p in new.payments] == [("cash", 50_00)]
    assert [r.method for r in Order.objects.get(pk=order.pk).refunds] == ["exchange"]


def test_an_exchange_with_no_ticket_ticked_moves_the_whole_order(app, client, logged_in, sell, seller):
    """The tickets box says "none ticked: the whole order" for the exchange button too: it was refused with
    "Select at least one ticket"."""
    order = _order(app, sell, seller, quantities={0: 2}, payments=[card()])
    later = make_event(title="Samba de domingo", tiers=(("Inteira", 100_00, 10),))
    logged_in("manager")
    data = {"target": f"{later.pk}/{tiers_of(later)[0].pk}", "reason": "Cliente prefere domingo",
            "key": "exchange-key-view-02", "reference_card": ""}
    response = client.post(f"/orders/{order.number}/exchange", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Troca feita: novo pedido" in response.get_data(as_text=True)
    new = Order.objects.get(exchanged_from=order.number)
    assert Ticket.objects(order_id=new.pk, status="valid").count() == 2
    assert set(Ticket.objects(order_id=order.pk).distinct("status")) == {"void"}
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert re.search(r'id="order-status"[^>]*>\s*Trocado\s*<', page) and new.number in page
    assert "Levado ao novo pedido" in page and "<th colspan=\"3\">Reembolsado</th>" not in page  # no money went back

def test_a_show_that_is_over_is_refused_at_the_first_step_of_a_refund(app, client, logged_in, sell, seller, show):
    """The confirmation step showed the split and reference boxes for a show already over; only the final click
    said it could no longer be refunded."""
    from webapp.models import Event

    order = _order(app, sell, seller, payments=[card()])
    Event.objects(pk=show.pk).update_one(set__ends_at=utcnow() - timedelta(minutes=1))
    logged_in("manager")
    response = client.post(f"/orders/{order.number}/refund", data={"reason": "Chegou tarde", "key": "refund-key-over-1"},
                           headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "O espetáculo terminou" in body
    assert 'id="refund-confirm"' not in body and Order.objects.get(pk=order.pk).refunded_cents == 0

def test_a_refused_exchange_keeps_what_was_typed(app, client, logged_in, sell, seller):
    """A refusal (here a short tender) redrew the form empty: the tickets ticked, the show chosen in a long list,
    the reason and the cash had all to be done again."""
    from webapp.services import shifts

    order = _order(app, sell, seller, quantities={0: 2}, payments=[cash()])
    vip = make_event(title="Samba VIP", tiers=(("VIP", 150_00, 10),))
    manager = logged_in("manager")
    with app.test_request_context():
        shifts.open_shift(manager, 100_00)
    code = Ticket.objects(order_id=order.pk).first().code
    target = f"{vip.pk}/{tiers_of(vip)[0].pk}"
    data = {"ticket": code, "target": target, "reason": "Upgrade para o VIP", "key": "exchange-key-view-03",
            "cash_tendered": "10,00", "reference_card": ""}
    response = client.post(f"/orders/{order.number}/exchange", data=data, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and Order.objects(exchanged_from=order.number).count() == 0
    assert re.search(rf'value="{code}"\s+checked', body)
    assert re.search(rf'value="{target}"\s+selected', body)
    assert 'value="Upgrade para o VIP"' in body and 'name="cash_tendered" inputmode="decimal" value="10,00"' in body
    # after it goes through, the form is empty again
    data["cash_tendered"] = "50,00"
    body = client.post(f"/orders/{order.number}/exchange", data=data, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Troca feita" in body and "Upgrade para o VIP\"" not in body

def test_an_exchange_into_a_concession_ticket_takes_the_holders_documents(app, client, logged_in, sell, seller, show):
    """Exchanging into a meia-entrada asked for one document per ticket, and the form had nowhere to type them."""
    order = _order(app, sell, seller, quantities={0: 2}, payments=[card()])
    logged_in("manager")
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert 'name="documents"' in page
    meia = tiers_of(show)[1]
    data = {"target": f"{show.pk}/{meia.pk}", "reason": "Estudantes", "key": "exchange-key-view-04",
            "reference_card": "EST-77", "documents": "12.345.678-9\nRG-998877"}
    body = client.post(f"/orders/{order.number}/exchange", data=data, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Troca feita" in body
    new = Order.objects.get(exchanged_from=order.number)
    assert sorted(Ticket.objects(order_id=new.pk).distinct("holder_document")) == ["12.345.678-9", "RG-998877"]

def test_a_refund_without_htmx_is_confirmed_on_a_page_of_its_own(app, client, logged_in, sell, seller):
    """The refund button also posts as a plain form (formaction): its confirmation step is a whole page, with the
    split to check — once a missing template and a 500."""
    order = _order(app, sell, seller, payments=[card()])
    logged_in("manager")
    data = {"reason": "Cliente desistiu de ir", "key": "refund-key-nojs-01"}
    step1 = client.post(f"/orders/{order.number}/refund", data=data)
    body = step1.get_data(as_text=True)
    assert step1.status_code == 200 and 'id="refund-confirm"' in body and "<html" in body and "Cartão" in body
    assert Order.objects.get(pk=order.pk).refunded_cents == 0
    split = re.search(r'name="split_card"[^>]*value="([^"]+)"', body).group(1)  # as the page offers it
    done = client.post(f"/orders/{order.number}/refund",
                       data=dict(data, confirm="1", split_card=split, reference_card="REV-1"))
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/orders/{order.number}")
    assert Order.objects.get(pk=order.pk).status == "refunded"


def test_the_refund_step_asks_for_a_shift_only_when_the_drawer_is_closed(app, client, logged_in, sell, seller):
    """Cash goes back from the manager's drawer: the confirmation says to open a shift only when none is open."""
    from webapp.services import shifts
    order = _order(app, sell, seller, payments=[cash()])
    manager = logged_in("manager")
    data = {"reason": "Cliente desistiu de ir", "key": "refund-key-drawer-01"}

    def hint():
        body = client.post(f"/orders/{order.number}/refund", data=data, headers={"HX-Request": "true"})
        return re.search(r'id="refund-cash-hint">([^<]+)<', body.get_data(as_text=True)).group(1)

    assert hint() == "O dinheiro sai da sua gaveta: abra um turno antes."
    with app.test_request_context():
        shifts.open_shift(manager, 0)
    assert hint() == "O dinheiro sai da sua gaveta."
