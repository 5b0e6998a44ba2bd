"""The POS, shift and order pages through the real app (HTMX fragments and full pages)."""
import re
import uuid

from tests.factories import make_event, tiers_of
from webapp.models import AuditEntry, Order, Shift


def open_shift(client, amount="100,00"):
    return client.post("/shift/open", data={"opening_float": amount})


def sale_form(client, event):
    body = client.get(f"/sell/{event.pk}").get_data(as_text=True)
    return body, re.search(r'name="key" value="([^"]+)"', body).group(1)


def test_seller_without_shift_is_asked_to_open_one(client, logged_in, show):
    logged_in("seller")
    body = client.get("/sell").get_data(as_text=True)
    assert 'id="shift-open"' in body and "Abra seu turno de caixa" in body
    response = client.post(f"/sell/{show.pk}", data={"key": str(uuid.uuid4()), f"qty-{tiers_of(show)[0].pk}": "1",
                                                     "cash_tendered": "100,00"})
    assert response.status_code == 400 and "Abra um turno de caixa" in response.get_data(as_text=True)
    assert Order.objects.count() == 0


def test_opening_float_is_typed_the_locale_way(client, logged_in):
    user = logged_in("seller")
    bad = open_shift(client, "cem reais")
    assert bad.status_code == 400 and "Digite um valor" in bad.get_data(as_text=True)
    assert open_shift(client, "1.234,50").status_code == 302
    assert Shift.objects.get(seller_id=user.pk).opening_float_cents == 1234_50
    assert open_shift(client).status_code == 400  # one open shift per seller


def test_pos_lists_shows_with_live_availability(client, logged_in, show):
    logged_in("seller")
    open_shift(client)
    make_event(title="Draft show", status="draft")
    body = client.get("/sell").get_data(as_text=True)
    assert show.title in body and "Draft show" not in body and "150 lugares disponíveis" not in body
    panel = client.get(f"/sell/{show.pk}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert panel.startswith('\n<section id="sale-panel"') or 'id="sale-panel"' in panel.split(">")[0] + ">"
    assert "<html" not in panel and "Inteira" in panel and "Meia" in panel and 'name="key"' in panel
    assert "F9" in client.get(f"/sell?event={show.pk}").get_data(as_text=True)  # shortcuts on screen


def test_preview_shows_total_change_and_only_n_left(client, logged_in, ctx):
    logged_in("seller")
    open_shift(client)
    event = make_event(title="Pequeno", capacity=3, tiers=(("Única", 100_00, 3),))
    tier = tiers_of(event)[0]
    body = client.post(f"/sell/{event.pk}/preview", data={f"qty-{tier.pk}": "2", "cash_tendered": "250,00"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="sale-summary"' in body and "200,00" in body and "50,00" in body
    body = client.post(f"/sell/{event.pk}/preview", data={f"qty-{tier.pk}": "4"}).get_data(as_text=True)
    assert "Só restam 3" in body


def test_sale_through_the_form_then_order_and_print(client, logged_in, show):
    logged_in("seller")
    open_shift(client)
    _body, key = sale_form(client, show)
    data = {"key": key, f"qty-{tiers_of(show)[0].pk}": "2", "cash_tendered": "250,00", "customer_name": "Rita"}
    response = client.post(f"/sell/{show.pk}", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 204
    order = Order.objects.get()
    assert response.headers["HX-Redirect"] == f"/orders/{order.number}?sold=1"
    again = client.post(f"/sell/{show.pk}", data=data, headers={"HX-Request": "true"})  # double click
    assert again.headers["HX-Redirect"] == response.headers["HX-Redirect"] and Order.objects.count() == 1
    page = client.get(f"/orders/{order.number}?sold=1").get_data(as_text=True)
    assert 'id="print-button"' in page and "autofocus" in page and "Troco a dar: R$\xa050,00" in page
    printed = client.get(f"/orders/{order.number}/print").get_data(as_text=True)
    assert printed.count("<svg") == 2 and printed.count('class="ticket"') == 2 and "tickets-thermal" in printed
    assert f'action="/orders/{order.number}/printed"' in printed
    assert "tickets-a4" in client.get(f"/orders/{order.number}/print?format=a4").get_data(as_text=True)


def test_showing_the_print_page_records_nothing_each_post_records_one_print(client, logged_in, sell, seller):
    order = sell(seller, {0: 2})
    logged_in("seller")
    for _ in range(3):  # GET never changes state: a link (even from another site) inflates nothing
        assert client.get(f"/orders/{order.number}/print").status_code == 200
    assert Order.objects.get().print_count == 0 and AuditEntry.objects(action="order.reprint").count() == 0
    first = client.post(f"/orders/{order.number}/printed", headers={"Accept": "application/json"})
    assert first.get_json() == {"print_count": 1} and AuditEntry.objects(action="order.reprint").count() == 0
    # Without JavaScript the form posts, then the page comes back saying how to print.
    again = client.post(f"/orders/{order.number}/printed", data={"format": "a4"})
    assert again.status_code == 302 and again.headers["Location"].endswith("/print?format=a4&recorded=1")
    assert "Impressão registrada" in client.get(again.headers["Location"]).get_data(as_text=True)
    (entry,) = AuditEntry.objects(action="order.reprint", order_number=order.number)
    assert entry.after == {"print_count": 2} and Order.objects.get().print_count == 2


def test_recording_a_print_needs_the_csrf_token(secure_app, make_user, sell, seller):
    order = sell(seller, {0: 1})
    browser = secure_app.test_client()
    make_user("seller", username="rui")
    login_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', browser.get("/login").get_data(as_text=True))
    browser.post("/login", data={"username": "rui", "password": "secret-pass", "csrf_token": login_token.group(1)})
    page = browser.get(f"/orders/{order.number}/print").get_data(as_text=True)
    assert browser.post(f"/orders/{order.number}/printed").status_code == 400
    assert Order.objects.get().print_count == 0
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = browser.post(f"/orders/{order.number}/printed", headers={"X-CSRFToken": token,
                                                                        "Accept": "application/json"})
    assert response.status_code == 200 and Order.objects.get().print_count == 1


def test_refused_sale_keeps_the_form_and_its_key(client, logged_in, show):
    logged_in("seller")
    open_shift(client)
    key = str(uuid.uuid4())
    response = client.post(f"/sell/{show.pk}", data={"key": key, f"qty-{tiers_of(show)[0].pk}": "1",
                                                     "cash_tendered": "50,00"}, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Valor insuficiente" in body and key in body
    assert Order.objects.count() == 0


def test_a_sale_form_posted_again_with_other_content_is_refused_not_answered_with_its_order(client, logged_in, show):
    """Back button, edit, confirm: the form's key had sold an order, which used to be shown as if this were it."""
    logged_in("seller")
    open_shift(client)
    _body, key = sale_form(client, show)
    qty = f"qty-{tiers_of(show)[0].pk}"
    client.post(f"/sell/{show.pk}", data={"key": key, qty: "2", "cash_tendered": "200,00"})
    order = Order.objects.get()
    edited = {"key": key, qty: "3", "cash_tendered": "300,00", "customer_name": "Rita"}
    response = client.post(f"/sell/{show.pk}", data=edited, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and f"Este formulário já vendeu o pedido {order.number}" in body
    assert f'href="/orders/{order.number}"' in body and 'value="Rita"' in body and 'value="300,00"' in body
    assert Order.objects.count() == 1 and Order.objects.get().ticket_count == 2
    new_key = re.search(r'name="key" value="([^"]+)"', body).group(1)
    assert new_key != key  # confirming what is on the screen again is a new, deliberate sale
    sold = client.post(f"/sell/{show.pk}", data={**edited, "key": new_key}, headers={"HX-Request": "true"})
    assert sold.status_code == 204 and Order.objects.count() == 2
    same = client.post(f"/sell/{show.pk}", data={"key": key, qty: "2", "cash_tendered": "200,00"})
    assert same.headers["Location"] == f"/orders/{order.number}?sold=1" and Order.objects.count() == 2


def test_lookup_by_number_code_name_document_and_email(client, logged_in, sell, ctx, show):
    user = logged_in("seller")
    open_shift(client)
    meia = tiers_of(show)[1]
    order = sell(user, {1: 1}, customer={"name": "Joana Prado", "email": "joana@example.com"},
                 documents={str(meia.pk): ["12345678900"]})
    other = sell(user, {0: 1})
    code = order_code = __import__("webapp.models", fromlist=["Ticket"]).Ticket.objects(order_id=order.pk).first().code
    for query in (order.number, order.number.lower(), code, "joana", "JOANA@example.com", "12345678900"):
        body = client.get("/orders", query_string={"q": query}, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert order.number in body and other.number not in body, query
    assert other.number in client.get("/orders").get_data(as_text=True)
    assert client.get("/orders/000000-ZZZZZZ").status_code == 404
    assert order_code


def test_close_shift_shows_expected_cash_and_difference(client, logged_in, sell, ctx):
    user = logged_in("seller")
    open_shift(client, "100,00")
    sell(user, {0: 1}, payments=[{"method": "cash", "tendered_cents": 150_00}])
    page = client.get("/shift").get_data(as_text=True)
    assert "200,00" in page and 'id="shift-close"' in page
    response = client.post("/shift", data={"counted_cash": "190,00"})
    assert response.status_code == 302
    report = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Falta de R$\xa010,00" in report, report  # the difference in words (issue 9)


def test_admin_sees_failed_confirmations(client, logged_in):
    logged_in("admin")
    assert client.get("/orders/failed").status_code == 200


def test_door_staff_cannot_sell(client, logged_in, show):
    logged_in("door")
    assert client.get("/sell").status_code == 403
    assert client.get("/orders").status_code == 403


def test_money_typed_wrong_is_shown_an_example_written_the_users_way(client, logged_in, show):
    """English reads "150,00" as a misplaced thousands comma and refuses it, so English help must say 150.00."""
    logged_in("seller", locale="en")
    page = client.get("/sell").get_data(as_text=True)
    assert "e.g. 200.00" in page and "200,00" not in page  # the opening float's hint
    bad = open_shift(client, "150,00")
    assert bad.status_code == 400 and "Type an amount of money, e.g. 150.00." in bad.get_data(as_text=True)
    assert open_shift(client, "150.00").status_code == 302
    tier = tiers_of(show)[0]
    preview = client.post(f"/sell/{show.pk}/preview", data={f"qty-{tier.pk}": "1", "cash_tendered": "cem"})
    assert "e.g. 150.00." in preview.get_data(as_text=True)


def test_the_portuguese_example_keeps_the_comma(client, logged_in, show):
    logged_in("seller")
    assert "ex.: 200,00" in client.get("/sell").get_data(as_text=True)
    assert "por exemplo 150,00." in open_shift(client, "cem reais").get_data(as_text=True)


def test_cash_typed_wrong_keeps_the_total_of_the_tickets_beside_what_to_fix(client, logged_in, show):
    logged_in("seller")
    open_shift(client)
    tier = tiers_of(show)[0]
    body = client.post(f"/sell/{show.pk}/preview", data={f"qty-{tier.pk}": "2", "cash_tendered": "cem"}) \
        .get_data(as_text=True)
    assert re.search(r'id="sale-total">R\$\xa0200,00<', body), body  # not R$ 0,00: the seller sees what is due
    assert "Digite um valor em dinheiro, por exemplo 150,00." in body
    bad = client.post(f"/sell/{show.pk}/preview", data={f"qty-{tier.pk}": "dois"}).get_data(as_text=True)
    assert 'id="sale-total">R$\xa00,00<' in bad and "números inteiros" in bad
