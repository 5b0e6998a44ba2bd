"""An order found by the code part of its number alone ("G64NDQ" of "261201-G64NDQ"), any case, on an index."""
import secrets

from bson import ObjectId

from tests.sale_fixtures import cash, sell_now
from tests.sales.test_indexes import _served_by
from webapp.models import Order
from webapp.services import orders as order_service
from webapp.services import shifts


def _code(order):
    return order.number.split("-")[1]


def test_the_code_part_alone_finds_the_order_in_any_case(client, logged_in, make_user, ctx, show):
    seller = make_user("seller")
    shifts.open_shift(seller, 0)
    mine, other = (sell_now(seller, show, {0: 1}, [cash()]) for _ in range(2))
    logged_in("seller")
    for typed in (_code(mine), _code(mine).lower(), f"  {_code(mine).lower()} "):
        assert [o.number for o in order_service.find_orders(typed)] == [mine.number], typed
        body = client.get("/orders", query_string={"q": typed}, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert mine.number in body and other.number not in body, typed
    assert order_service.find_orders(mine.number) == [mine]  # the whole number still works


def test_the_code_look_up_reads_only_its_order_through_the_index(ctx, make_user, show):
    seller = make_user("seller")
    shifts.open_shift(seller, 0)
    orders = [sell_now(seller, show, {0: 1}, [cash()]) for _ in range(4)]
    keys, docs, returned = _served_by({"find": "orders", "filter": {"number_code": _code(orders[2])}},
                                      "number_code_sparse")
    assert keys == docs == returned == 1


def test_init_db_gives_older_orders_their_code_once(app, ctx):
    number = "261130-" + secrets.choice("ABCDEFGHJK") + "7XQ2P"
    Order._get_collection().insert_one({  # an order as written before number_code existed
        "number": number, "idempotency_key": secrets.token_hex(16), "event_id": ObjectId(), "event_title": "Show",
        "total_cents": 0, "seller_id": ObjectId(), "status": "confirmed"})
    assert order_service.find_orders(number[-6:]) == []
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "order codes indexed for search on 1 older orders" in result.output
    assert [o.number for o in order_service.find_orders(number[-6:].lower())] == [number]
    assert "order codes indexed" not in app.test_cli_runner().invoke(args=["init-db"]).output
