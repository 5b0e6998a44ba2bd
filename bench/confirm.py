"""What the confirmation job costs per order: its parts in-process, then whole jobs through a real RQ worker.

    python bench/confirm.py [--orders 200] [--tickets 2]

Starts its own mongod and redis-server (the launcher's start_mongo / start_redis) and an SMTP sink, sells
--orders orders of --tickets tickets through the sale service, then prints CPU milliseconds (process time,
median over the orders) of: confirming an order with no e-mail (a box-office sale), the e-mail's parts
(ticket facts, the text and HTML templates with their QR SVGs, the PDF with its QR PNGs) and sending it;
then CPU per order of the worker as it runs (`worker.AppWorker`, jobs in the worker process): one order per job,
--batch orders per job (when the code has batched confirmations), and RQ's default forking Worker (a new process
and MongoClient per job), in burst mode; and the relay's CPU per message handed over (claim, enqueue, mark).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from localstack.databases import start_mongo, start_redis  # noqa: E402
from localstack.processes import free_port  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--tickets", type=int, default=2)
    parser.add_argument("--batch", type=int, default=50, help="orders per job in the batched run")
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    with tempfile.TemporaryDirectory() as tmp:
        mongo, redis = start_mongo(Path(tmp)), start_redis(Path(tmp))
        smtp = Controller(Sink(), hostname="127.0.0.1", port=free_port())
        smtp.start()
        os.environ.update(FLASK_CONFIG="testing", MONGODB_URI=mongo.url, MONGODB_DB="bench", SECRET_KEY="bench",
                          REDIS_URL=redis.url, MAIL_HOST="127.0.0.1", MAIL_PORT=str(smtp.port))
        try:
            run(args)
        finally:
            smtp.stop()
            redis.stop()
            mongo.stop()


def cpu_ms(func, items):
    """Median CPU milliseconds of func(item) over the items."""
    spent = []
    for item in items:
        start = time.process_time()
        func(item)
        spent.append((time.process_time() - start) * 1000)
    return statistics.median(spent)


def relay_cpu(app, count):
    """Mean CPU milliseconds of the relay's passes per message handed to RQ (its share in this process); the jobs
    are dropped after."""
    from redis import Redis
    from rq import Queue

    from webapp.services import outbox

    start, sent = time.process_time(), 0
    while sent < count:
        went = outbox.relay_once()
        if not went:
            break
        sent += went
    spent = (time.process_time() - start) * 1000
    Queue(app.config["RQ_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"])).empty()
    return spent / max(1, sent)


def run(args):
    from flask import render_template
    from flask_babel import force_locale
    from redis import Redis
    from rq import Queue, Worker

    import worker
    from tests.factories import make_event, tiers_of
    from webapp import create_app, db
    from webapp.cli import ensure_indexes
    from webapp.models import Order, OutboxMessage
    from webapp.services import confirmation, mail, sales, shifts, users
    from webapp.services.orders import tickets_of
    from webapp.services.ticket_print import printable_tickets, tickets_pdf

    app = create_app()
    with app.test_request_context(), force_locale("pt_BR"):
        ensure_indexes()
        seller = users.create_user(None, username="bench", name="Bench", password="ensaio-geral-123", roles=["seller"])
        shifts.open_shift(seller, 0)
        show = make_event(title="Confirmação", capacity=1_000_000, max_per_order=10,
                          tiers=(("Inteira", 100_00, 1_000_000),))
        tier = str(tiers_of(show)[0].pk)

        def sell(email):
            return sales.sell(seller, event_id=str(show.pk), quantities={tier: args.tickets},
                              payments=[{"method": "cash"}], idempotency_key=str(uuid.uuid4()),
                              customer={"name": "Bia", "email": email} if email else {})

        counter = [sell(None) for _ in range(args.orders)]
        mailed = [sell(f"c{i}@example.com") for i in range(args.orders)]
        relay_ms = relay_cpu(app, OutboxMessage.objects.count())
        OutboxMessage.objects.delete()  # the parts first, by hand; whole jobs below
        print(f"{args.orders} orders of {args.tickets} tickets each; CPU ms per order (median)")
        print(f"  relay: claim, enqueue, mark (mean)  {relay_ms:7.2f}")
        print(f"  confirm, no e-mail (box office)     {cpu_ms(lambda o: confirmation.confirm_order(o.pk), counter):7.2f}")
        items = {o.pk: printable_tickets(o, tickets_of(o)) for o in mailed}
        print(f"  ticket facts (order, show, tickets) {cpu_ms(lambda o: printable_tickets(o, tickets_of(o)), mailed):7.2f}")
        print(f"  e-mail text + HTML (QR SVGs)        "
              f"{cpu_ms(lambda o: (render_template('email/confirmation.txt', order=o, items=items[o.pk]), render_template('email/confirmation.html', order=o, items=items[o.pk])), mailed):7.2f}")
        print(f"  PDF (QR PNGs)                       {cpu_ms(lambda o: tickets_pdf(items[o.pk]), mailed):7.2f}")
        messages = {o.pk: mail.build_confirmation(o, tickets_of(o)) for o in mailed}
        print(f"  SMTP send to a local sink           {cpu_ms(lambda o: mail.send(messages[o.pk]), mailed):7.2f}")
        Order.objects.update(set__status="pending", set__email_status="pending")

    connection = Redis.from_url(os.environ["REDIS_URL"])
    queue = Queue(app.config["RQ_QUEUE"], connection=connection)
    worker.AppWorker.app = app

    class Forking(Worker):
        """RQ's default: a work horse forked per job, which opens its own MongoClient (the worker before)."""

        def perform_job(self, job, queue):
            db.connect(app)
            with app.app_context():
                return super().perform_job(job, queue)

    from webapp.jobs import orders as order_jobs

    runs = [("worker.AppWorker", worker.AppWorker, 1), ("rq.Worker (fork per job)", Forking, 1)]
    if hasattr(order_jobs, "confirm_orders"):  # the code being measured batches confirmations
        runs.insert(1, (f"AppWorker, {args.batch} per job", worker.AppWorker, args.batch))
    for name, cls, batch in runs:
        orders = counter
        Order.objects.update(set__status="pending")
        for start in range(0, len(orders), batch):
            chunk = [{"order_id": str(o.pk), "message_id": None} for o in orders[start:start + batch]]
            if batch == 1:
                queue.enqueue("webapp.jobs.orders.confirm_order", kwargs={"order_id": chunk[0]["order_id"]})
            else:
                queue.enqueue("webapp.jobs.orders.confirm_orders", kwargs={"messages": chunk})
        before, wall = os.times(), time.perf_counter()
        cls([queue], connection=connection).work(burst=True, logging_level="WARNING")
        after, wall = os.times(), time.perf_counter() - wall
        used = sum(after[:4]) - sum(before[:4])  # this process and its reaped children (work horses)
        done = Order.objects(status="confirmed").count()
        print(f"  whole job, {name:<26} {1000 * used / len(orders):7.2f} CPU ms/order, {len(orders) / wall:6.1f} orders/s"
              f" ({done} confirmed)")


if __name__ == "__main__":
    main()
