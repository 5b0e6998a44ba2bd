"""Dashboard and 30-day sales report: time at 10,000 tickets and at 1,000,000 tickets, and their ratio.

    python bench/dashboard.py [--tickets 1000000] [--runs 15]

Starts its own mongod (replica set) and redis-server in a temp dir (localstack.databases), seeds in bulk documents
shaped exactly like the sale service writes them (orders, tickets, inventory counters and the report
aggregates, the latter through the same aggregates.Buckets code the transactions use), then times requests
through the Flask test client (median of --runs after warm-up), and the 24-hour chart's service call alone.

The model is a box office whose history grows: phase 1 holds the current activity — 20 shows on sale (one
tonight) with 10,000 tickets sold over the last 30 days. Phase 2 adds the past: 180 finished shows whose
990,000 tickets were sold (and mostly admitted) before that. The pages must not slow down with the past.
"""
import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bson import ObjectId

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from localstack import databases as stack  # noqa: E402

BATCH_TICKETS = 20_000
SELLERS = 10
GATES = ("Porta A", "Porta B", "Porta C")
TIERS = (("Inteira", 120_00), ("Meia", 60_00), ("VIP", 300_00))


def _setup(tmp):
    mongo, redis = stack.start_mongo(tmp), stack.start_redis(tmp)
    os.environ.update(FLASK_CONFIG="testing", MONGODB_URI=mongo.url, MONGODB_DB="bilheteria_bench",
                      REDIS_URL=redis.url, SECRET_KEY="bench-secret-key")
    from webapp import create_app
    from webapp.cli import ensure_indexes

    app = create_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        ensure_indexes()
    return app, (mongo, redis)


def _people(app):
    from webapp.services.users import create_user

    with app.test_request_context():
        manager = create_user(None, username="bench-manager", name="Gerente", password="ensaio-geral-123",
                              roles=["manager"])
        sellers = [create_user(None, username=f"bench-seller{i}", name=f"Vendedor {i}", password="ensaio-geral-123",
                               roles=["seller"]) for i in range(SELLERS)]
    return manager, [(s.pk, s.name, ObjectId()) for s in sellers]  # (id, name, shift id)


def _shows(venue, count, first_start, spacing, status):
    """`count` shows with three tiers each and their inventory counters (nothing sold yet)."""
    from webapp.models import Event, Inventory, TicketType

    shows = []
    for i in range(count):
        starts = first_start + spacing * i
        event = Event(title=f"Show {status} {i + 1}", venue=venue, starts_at=starts, ends_at=starts + timedelta(hours=2),
                      status=status, capacity=9000).save()
        tiers = []
        for sort, (name, price) in enumerate(TIERS):
            tier = TicketType(event=event, name=name, price_cents=price, quota=3000, sort=sort).save()
            tiers.append((tier.pk, name, price))
        Inventory(key=Inventory.event_key(event.pk), kind="event", event_id=event.pk, quota=9000, remaining=9000).save()
        Inventory(key=Inventory.concession_key(event.pk), kind="concession", event_id=event.pk, quota=3600,
                  remaining=3600).save()
        for tier_id, _name, _price in tiers:
            Inventory(key=Inventory.tier_key(tier_id), kind="tier", event_id=event.pk, ticket_type_id=tier_id,
                      quota=3000, remaining=3000).save()
        shows.append((event, tiers))
    return shows


def _order(rng, n, show, seller, at, used_until):
    """One order and its tickets as the sale service writes them (status confirmed)."""
    event, tiers = show
    tier_id, tier_name, price = rng.choice(tiers)
    qty = rng.choice((1, 2, 2, 3, 4, 6))
    total = price * qty
    method = rng.choice(("cash", "card", "card", "pix", "comp")) if rng.random() > 0.9 else rng.choice(
        ("cash", "card", "pix"))
    payment = {"method": method, "amount_cents": total, "status": "captured"}
    if method == "cash":
        payment.update(tendered_cents=total + 1000, change_cents=1000)
    elif method == "comp":
        payment["comp_reason"] = "Convidado"
    number = f"B{n:011d}"
    order = {"_id": ObjectId(), "number": number, "idempotency_key": f"bench-{n}", "event_id": event.pk,
             "event_title": event.title, "ticket_count": qty, "comp_count": qty if method == "comp" else 0,
             "lines": [{"ticket_type_id": tier_id, "name": tier_name, "unit_price_cents": price, "quantity": qty,
                        "subtotal_cents": total, "is_concession": False}],
             "total_cents": total, "payments": [payment], "refunds": [], "refunded_cents": 0, "seller_id": seller[0],
             "seller_name": seller[1], "shift_id": seller[2], "status": "confirmed", "email_status": "none",
             "created_at": at, "confirmed_at": at, "print_count": 1}
    tickets = []
    for _ in range(qty):
        ticket = {"code": secrets.token_urlsafe(18), "order_id": order["_id"], "order_number": number,
                  "event_id": event.pk, "ticket_type_id": tier_id, "tier_name": tier_name, "price_cents": price,
                  "status": "valid", "created_at": at}
        if used_until and rng.random() < 0.85:
            ticket.update(status="used", used_at=used_until, gate=rng.choice(GATES), used_by_name="Porteiro")
        tickets.append(ticket)
    return order, tickets


def _seed(app, rng, plan, tickets_wanted, counter):
    """Insert orders/tickets until `tickets_wanted`; plan(rng) -> (show, seller, created_at, used_at or None)."""
    from webapp.models import Inventory, Order, Ticket
    from webapp.services.aggregates import Buckets

    with app.app_context():
        buckets = Buckets(app.config["BABEL_DEFAULT_TIMEZONE"])
        made, orders, tickets, sold = 0, [], [], {}
        while made < tickets_wanted:
            show, seller, at, used = plan(rng)
            order, its = _order(rng, counter[0], show, seller, at, used)
            counter[0] += 1
            made += len(its)
            orders.append(order)
            tickets.extend(its)
            buckets.sale(order)
            key = (show[0].pk, order["lines"][0]["ticket_type_id"])
            sold[key] = sold.get(key, 0) + len(its)
            if len(tickets) >= BATCH_TICKETS:
                Order._get_collection().insert_many(orders, ordered=False)
                Ticket._get_collection().insert_many(tickets, ordered=False)
                orders, tickets = [], []
        if orders:
            Order._get_collection().insert_many(orders, ordered=False)
            Ticket._get_collection().insert_many(tickets, ordered=False)
        buckets.write()
        counters = Inventory._get_collection()
        for (event_id, tier_id), n in sold.items():
            counters.update_one({"_id": Inventory.tier_key(tier_id)}, {"$inc": {"sold": n, "remaining": -n}})
            counters.update_one({"_id": Inventory.event_key(event_id)}, {"$inc": {"sold": n, "remaining": -n}})
    return made


def _time(client, url, runs):
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    return statistics.median(samples)


def _time_chart(app, runs):
    """The dashboard's last-24-hours chart alone (the service call, no page): the read its buckets' layout shapes."""
    from webapp.models.base import utcnow
    from webapp.services import dashboard
    from webapp.services.aggregates import app_zone

    samples = []
    with app.app_context():
        for i in range(3 + runs):
            start = time.perf_counter()
            dashboard._last_hours(utcnow(), app_zone())
            if i >= 3:
                samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _measure(app, manager_name, runs):
    from webapp.services.reports import today_local

    with app.app_context():
        today = today_local()
    client = app.test_client()
    response = client.post("/login", data={"username": manager_name, "password": "ensaio-geral-123"})
    assert response.status_code == 302
    report = f"/reports/sales?start={today - timedelta(days=29)}&end={today}"
    return {"dashboard (/)": _time(client, "/", runs), "dashboard poll": _time(client, "/dashboard/live", runs),
            "30-day sales report by day": _time(client, report, runs),
            "30-day sales report by show": _time(client, report + "&group=show", runs),
            "30-day sales report XLSX": _time(client, report.replace("/sales?", "/sales/export.xlsx?"), runs),
            "24-hour chart (service call)": _time_chart(app, runs)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(6)
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        app, services = _setup(Path(tmp))
        try:
            run(app, rng, args)
        finally:
            for service in reversed(services):
                service.stop()


def run(app, rng, args):
    from webapp.models import Venue
    from webapp.models.base import utcnow

    with app.app_context():
        manager, sellers = _people(app)
        now = utcnow()
        venue = Venue(name="Teatro do Cassino", capacity=9000).save()
        # 20 shows on sale: the first one tonight, then one every other day.
        current = _shows(venue, 20, now + timedelta(hours=3), timedelta(days=2), "on_sale")
        past = _shows(venue, 180, now - timedelta(days=31 + 4 * 180), timedelta(days=4), "finished")
    counter = [0]

    def recent(rng):  # the last 30 days; tonight's show already has people in
        show = rng.choice(current)
        at = now - timedelta(seconds=rng.randrange(30 * 86400))
        return show, rng.choice(sellers), at, (now - timedelta(minutes=20)) if show is current[0] else None

    def history(rng):  # each past show sold over the 60 days before it, admitted on the night
        show = rng.choice(past)
        at = show[0].starts_at - timedelta(seconds=rng.randrange(60 * 86400))
        return show, rng.choice(sellers), min(at, now - timedelta(days=31)), show[0].starts_at

    started = time.perf_counter()
    small = _seed(app, rng, recent, args.small, counter)
    print(f"seeded {small:,} tickets (current shows, last 30 days) in {time.perf_counter() - started:.1f} s")
    first = _measure(app, manager.username, args.runs)
    started = time.perf_counter()
    big = small + _seed(app, rng, history, args.tickets - small, counter)
    print(f"seeded {big - small:,} more tickets (180 past shows) in {time.perf_counter() - started:.1f} s "
          f"— {big:,} tickets, {counter[0]:,} orders, 200 shows")
    second = _measure(app, manager.username, args.runs)
    print(f"\nmedian of {args.runs} requests (Flask test client), milliseconds")
    print(f"{'page':32} {f'{small:,} tickets':>16} {f'{big:,} tickets':>18} {'ratio':>7}")
    for name in first:
        print(f"{name:32} {first[name] * 1000:16.1f} {second[name] * 1000:18.1f} {second[name] / first[name]:7.2f}")


if __name__ == "__main__":
    main()
