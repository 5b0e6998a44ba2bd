"""Sales per second through the sale service on a real local mongod replica set.

    python bench/sales.py [--threads 8] [--seconds 10] [--same-show]

Starts its own mongod in a temp dir, makes sellers with open shifts and shows, then each thread sells 1–4
tickets in a loop. Prints sales/s, tickets/s and latency percentiles. --same-show makes every thread fight
over one show's counters (write conflicts and transaction retries); without it each thread has its own show.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from webapp import stack  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--same-show", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        mongo = stack.start_mongo(Path(tmp))
        os.environ.update(FLASK_CONFIG="testing", MONGODB_URI=mongo.url, MONGODB_DB="bench", SECRET_KEY="bench")
        try:
            run(args)
        finally:
            mongo.stop()


def run(args):
    from webapp import create_app
    from webapp.cli import ensure_indexes
    from webapp.services import ServiceError, sales, shifts, users
    from tests.factories import make_event, tiers_of

    app = create_app()
    with app.test_request_context():
        ensure_indexes()
        sellers = [users.create_user(None, username=f"bench{i}", name=f"Bench {i}", password="ensaio-geral-123",
                                     roles=["seller"]) for i in range(args.threads)]
        for seller in sellers:
            shifts.open_shift(seller, 0)
        shows = [make_event(title=f"Bench {i}", capacity=1_000_000, max_per_order=10,
                            tiers=(("Inteira", 100_00, 1_000_000),)) for i in range(1 if args.same_show else args.threads)]
        tiers = [tiers_of(show)[0] for show in shows]
    latencies, tickets, refused = [], [0], [0]
    lock, deadline = threading.Lock(), time.perf_counter() + args.seconds

    def worker(i):
        rng, show, tier = random.Random(i), shows[i % len(shows)], tiers[i % len(tiers)]
        with app.test_request_context():
            while time.perf_counter() < deadline:
                qty, start = rng.randint(1, 4), time.perf_counter()
                try:
                    sales.sell(sellers[i], event_id=str(show.pk), quantities={str(tier.pk): qty},
                               payments=[{"method": "cash"}], idempotency_key=str(uuid.uuid4()))
                except ServiceError:
                    with lock:
                        refused[0] += 1
                    continue
                with lock:
                    latencies.append(time.perf_counter() - start)
                    tickets[0] += qty

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    ms = sorted(x * 1000 for x in latencies)
    print(f"threads={args.threads} shows={len(shows)} seconds={elapsed:.1f}")
    print(f"sales={len(ms)} ({len(ms) / elapsed:.1f}/s)  tickets={tickets[0]} ({tickets[0] / elapsed:.1f}/s)  "
          f"refused={refused[0]}")
    if ms:
        print(f"latency ms: p50={statistics.median(ms):.1f} p95={ms[int(len(ms) * .95) - 1]:.1f} max={ms[-1]:.1f}")


if __name__ == "__main__":
    main()
