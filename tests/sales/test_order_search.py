"""Order search by the customer's name: accents and case aside ("joao" finds "João"), on an index."""
import secrets
import uuid

from bson import ObjectId

from tests.factories import tiers_of
from tests.sale_fixtures import cash, sell_now
from webapp.models import Order, Ticket
from webapp.services import orders as order_service
from webapp.services import shifts
from webapp.services.exchanges import exchange_tickets


def bare_order(name, **extra):
    """An order written straight to the database (as older orders were: no customer_words unless given)."""
    doc = {"number": "T" + secrets.token_hex(5).upper(), "idempotency_key": secrets.token_hex(16),
           "event_id": ObjectId(), "event_title": "Show", "total_cents": 0, "seller_id": ObjectId(),
           "status": "confirmed", "customer": {"name": name}, **extra}
    Order._get_collection().insert_one(doc)
    return doc


def search(client, query):
    return client.get("/orders", query_string={"q": query}, headers={"HX-Request": "true"}).get_data(as_text=True)


def test_name_search_forgives_accents_and_case(client, logged_in, make_user, ctx, show):
    seller = make_user("seller")
    shifts.open_shift(seller, 0)
    joao = sell_now(seller, show, {0: 1}, [cash()], customer={"name": "João da Silva"})
    conceicao = sell_now(seller, show, {0: 1}, [cash()], customer={"name": "MARIA CONCEIÇÃO"})
    assert Order.objects.get(pk=joao.pk).customer_words == ["joao", "da", "silva"]
    logged_in("seller")
    for query in ("joao", "JOÃO", "João", "silva", "joao sil", "Joa\u0303o"):  # the last: João typed decomposed
        body = search(client, query)
        assert joao.number in body and conceicao.number not in body, query
    for query in ("conceicao", "maria conc", "Conceição"):
        body = search(client, query)
        assert conceicao.number in body and joao.number not in body, query
    assert joao.number not in search(client, "joana")


def test_an_exchange_keeps_the_customer_findable(ctx, make_user, show):
    seller, manager = make_user("seller"), make_user("manager")
    shifts.open_shift(seller, 0)
    shifts.open_shift(manager, 0)
    order = sell_now(seller, show, {0: 1}, [cash()], customer={"name": "Zoë Ångström"})
    code = Ticket.objects(order_id=order.pk).first().code
    new = exchange_tickets(manager, order, [code], event_id=str(show.pk), tier_id=str(tiers_of(show)[0].pk),
                           reason="troca de data", idempotency_key=str(uuid.uuid4()))
    assert Order.objects.get(pk=new.pk).customer_words == ["zoe", "angstrom"]
    assert {o.number for o in order_service.find_orders("zoe angs")} == {order.number, new.number}


def test_the_name_search_reads_only_the_matching_orders_through_its_index(app):
    for i in range(60):
        bare_order(f"Cliente {i}", customer_words=["cliente", str(i)])
    joao = bare_order("João Prado", customer_words=["joao", "prado"])
    query = order_service.name_filter("joao")
    plan = (Order._get_collection().find(query).sort("created_at", -1).limit(order_service.LOOKUP_LIMIT)
            .explain())
    assert "customer_words" in str(plan["queryPlanner"]["winningPlan"]) and "IXSCAN" in str(plan["queryPlanner"])
    assert "COLLSCAN" not in str(plan["queryPlanner"]["winningPlan"])
    assert plan["executionStats"]["totalDocsExamined"] == 1  # João's order, not the 60 others
    assert [o.number for o in order_service.find_orders("joao")] == [joao["number"]]


def test_init_db_indexes_the_names_of_older_orders(app):
    old = bare_order("Sebastião Araújo")
    bare_order("")  # no name: nothing to index
    assert order_service.find_orders("sebastiao") == []  # written before the field existed
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0 and "1 older orders" in result.output
    assert [o.number for o in order_service.find_orders("sebastiao araujo")] == [old["number"]]
    again = app.test_cli_runner().invoke(args=["init-db"])
    assert again.exit_code == 0 and "older orders" not in again.output  # nothing left to do


def test_an_order_number_typed_without_its_dash_is_found(client, logged_in, make_user, ctx, show):
    seller = make_user("seller")
    shifts.open_shift(seller, 0)
    order = sell_now(seller, show, {0: 1}, [cash()])
    logged_in("seller")
    day, code = order.number.split("-")
    for typed in (order.number, order.number.lower(), day + code, f"{day} {code.lower()}"):
        assert [o.number for o in order_service.find_orders(typed)] == [order.number], typed
    assert order.number in search(client, day + code)


def test_a_search_that_finds_nothing_says_so_under_its_own_heading(client, logged_in):
    logged_in("seller", locale="en")
    body = search(client, "nobody-like-this")
    assert "No order found for “nobody-like-this”" in body and "Latest sales" not in body


def test_twelve_digits_that_are_no_order_number_still_find_the_document(app):
    order = bare_order("Ana", customer={"name": "Ana", "document": "123456789012"})
    assert [o.number for o in order_service.find_orders("123456789012")] == [order["number"]]
