"""The dashboard's last-24-hours chart, read from the hour entries inside the day buckets: across the venue's
local midnight, with voids and refunds, and kept by `flask init-db`'s upgrade from the old `sales_hours`."""
from datetime import datetime, timezone

from bson import ObjectId

from tests.sale_fixtures import cash, pix, sell_now
from webapp import db
from webapp.models import Order, SalesDay, Ticket
from webapp.services import aggregates, refunds
from webapp.services.dashboard import dashboard

UTC = timezone.utc


def _order(seller_id, event_id, at, tickets, price):
    tier = ObjectId()
    return {"event_id": event_id, "seller_id": seller_id, "created_at": at, "total_cents": tickets * price,
            "lines": [{"ticket_type_id": tier, "quantity": tickets, "subtotal_cents": tickets * price,
                       "unit_price_cents": price}],
            "payments": [{"method": "pix", "amount_cents": tickets * price}]}


def test_the_chart_crosses_local_midnight_with_voids_and_refunds(app):
    """São Paulo is UTC-3: at 01:30 on 10 March the chart runs from 02h on the 9th to 01h on the 10th, reading
    the 9th's buckets (which hold UTC hours of the 10th) and the 10th's."""
    now = datetime(2025, 3, 10, 4, 30, tzinfo=UTC)
    ana, bia, show, other = ObjectId(), ObjectId(), ObjectId(), ObjectId()
    early = _order(ana, show, datetime(2025, 3, 9, 5, 10, tzinfo=UTC), 2, 20_00)  # 02:10 on the 9th
    late = _order(bia, other, datetime(2025, 3, 10, 2, 40, tzinfo=UTC), 3, 30_00)  # 23:40 on the 9th
    with app.test_request_context():
        aggregates.record_sale(None, _order(ana, show, datetime(2025, 3, 9, 4, 50, tzinfo=UTC), 1, 10_00))  # 01:50: out
        aggregates.record_sale(None, early)
        aggregates.record_sale(None, late)
        aggregates.record_sale(None, _order(ana, other, datetime(2025, 3, 10, 3, 5, tzinfo=UTC), 1, 25_00))  # 00:05
        aggregates.record_void(None, late, datetime(2025, 3, 10, 3, 20, tzinfo=UTC))  # 00:20 on the 10th
        tier = early["lines"][0]["ticket_type_id"]
        aggregates.record_refund(None, early, [{"ticket_type_id": tier, "price_cents": 20_00}], {"pix": 20_00},
                                 datetime(2025, 3, 10, 4, 10, tzinfo=UTC))  # 01:10 on the 10th
        hours = dashboard(now)["hours"]
    assert {d.day for d in SalesDay.objects} == {"2025-03-09", "2025-03-10"}
    assert [h["label"] for h in hours] == [f"{(2 + i) % 24:02d}h" for i in range(24)]
    figures = {h["label"]: (h["tickets"], h["net_cents"]) for h in hours if h["tickets"] or h["net_cents"]}
    assert figures == {"02h": (2, 40_00), "23h": (3, 90_00), "00h": (1 - 3, 25_00 - 90_00), "01h": (-1, -20_00)}
    assert sum(h["net_cents"] for h in hours) == 40_00 + 25_00 - 20_00  # the late sale came and went back


def test_init_db_upgrades_from_sales_hours_and_keeps_the_chart(app, seller, manager, show):
    with app.test_request_context():
        first = sell_now(seller, show, {0: 2}, [cash()])
        sell_now(seller, show, {0: 1}, [pix()])
        refunds.void_tickets(seller, first, [Ticket.objects(order_id=first.pk).first().code])
    # Spread the history over the chart's hours (the first sale 5 h ago, its void 3 h ago), buckets as the
    # transactions would have left them.
    Order._get_collection().update_one({"_id": first.pk}, [{"$set": {
        "created_at": {"$dateSubtract": {"startDate": "$created_at", "unit": "hour", "amount": 5}},
        "refunds": {"$map": {"input": "$refunds", "in": {"$mergeObjects": ["$$this", {
            "at": {"$dateSubtract": {"startDate": "$$this.at", "unit": "hour", "amount": 3}}}]}}}}}])
    with app.test_request_context():
        aggregates.rebuild()
        before = dashboard()
    assert sum(1 for h in before["hours"] if h["net_cents"]) == 3 and sum(h["net_cents"] for h in before["hours"]) == 200_00

    # The layout of the previous version: hour figures in their own collection, none in the day buckets.
    database = db.database()
    database.sales_days.update_many({}, {"$unset": {"hours": ""}})
    database.sales_hours.insert_one({"_id": f"{aggregates.hour_key(first.created_at)}:{seller.pk}",
                                     "hour": aggregates.hour_start(first.created_at), "seller_id": seller.pk,
                                     "sold": 3, "gross_cents": 250_00})
    with app.test_request_context():
        assert not any(h["net_cents"] for h in dashboard()["hours"])  # what the new code reads before the upgrade

    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "report buckets rebuilt from 2 orders" in result.output and "sales_hours dropped" in result.output
    assert "sales_hours" not in database.list_collection_names()
    with app.test_request_context():
        after = dashboard(before["updated_at"])
    assert after["hours"] == before["hours"] and after["figures"] == before["figures"] and after["days"] == before["days"]
    again = app.test_cli_runner().invoke(args=["init-db"])
    assert again.exit_code == 0 and "sales_hours" not in again.output  # nothing left to upgrade
