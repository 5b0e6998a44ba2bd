"""Sales per second through the sale service on a real local mongod replica set.

    python bench/sales.py [--threads 8] [--seconds 10] [--same-show] [--floor-threads 16]

Starts its own mongod in a temp dir, makes sellers with open shifts and shows, then each thread sells 1–4
tickets in a loop. Prints sales/s, tickets/s and latency percentiles. --same-show makes every thread fight
over one show's counters (write conflicts and transaction retries); without it each thread has its own show.

In the same run it first measures the raw floor: --floor-threads threads doing only the conditional `$inc` on
one counter document (no transaction, majority writes), the least any sale must do; then prints the sale
service's rate as a share of it. It also counts the MongoDB commands (round trips) the sales sent, per sale.
"""
import argparse
import collections
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.kit import COMMANDS, own_mongo  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--same-show", action="store_true")
    parser.add_argument("--floor-threads", type=int, default=16)
    args = parser.parse_args()
    with own_mongo(FLASK_CONFIG="testing", SECRET_KEY="bench") as mongo:
        floor = raw_floor(mongo.url, args.floor_threads, min(args.seconds, 5))
        rate = run(args)
        print(f"service / raw floor = {rate:.1f} / {floor:.1f} = {rate / floor:.3f} (target >= 0.5 on one show)")




def raw_floor(url, threads, seconds):
    """Conditional `$inc`s per second on one document by `threads` threads: what one counter can take."""
    from pymongo import MongoClient
    from pymongo.write_concern import WriteConcern

    client = MongoClient(url)
    counters = client.bench_floor.get_collection("counters", write_concern=WriteConcern("majority"))
    counters.replace_one({"_id": "show"}, {"_id": "show", "remaining": 10**12}, upsert=True)
    done, deadline = [0] * threads, time.perf_counter() + seconds

    def worker(i):
        while time.perf_counter() < deadline:
            if counters.update_one({"_id": "show", "remaining": {"$gte": 1}}, {"$inc": {"remaining": -1}}).modified_count:
                done[i] += 1

    began = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    rate = sum(done) / (time.perf_counter() - began)
    client.close()
    print(f"raw floor: {threads} threads, conditional $inc on one document: {sum(done)} ({rate:.1f}/s)")
    return rate


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
    latencies, tickets, refused, reasons = [], [0], [0], collections.Counter()
    lock, deadline = threading.Lock(), time.perf_counter() + args.seconds

    def worker(i):
        rng, show, tier = random.Random(i), shows[i % len(shows)], tiers[i % len(tiers)]
        with app.test_request_context():
            while time.perf_counter() < deadline:
                qty, start = rng.randint(1, 4), time.perf_counter()
                try:
                    sales.sell(sellers[i], event_id=str(show.pk), quantities={str(tier.pk): qty},
                               payments=[{"method": "cash"}], idempotency_key=str(uuid.uuid4()))
                except ServiceError as exc:
                    with lock:
                        refused[0] += 1
                        reasons[f"{type(exc).__name__}: {exc.message}"] += 1
                    continue
                with lock:
                    latencies.append(time.perf_counter() - start)
                    tickets[0] += qty

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
    COMMANDS.on = True
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    COMMANDS.on = False
    ms = sorted(x * 1000 for x in latencies)
    print(f"threads={args.threads} shows={len(shows)} seconds={elapsed:.1f}")
    print(f"sales={len(ms)} ({len(ms) / elapsed:.1f}/s)  tickets={tickets[0]} ({tickets[0] / elapsed:.1f}/s)  "
          f"refused={refused[0]}" + "".join(f"\n  refused: {n} × {why}" for why, n in reasons.most_common(5)))
    if ms:
        print(f"latency ms: p50={statistics.median(ms):.1f} p95={ms[int(len(ms) * .95) - 1]:.1f} max={ms[-1]:.1f}")
        attempts = len(ms) + refused[0]
        print(f"MongoDB commands per sale (retries included): {sum(COMMANDS.counts.values()) / attempts:.1f} = "
              + ", ".join(f"{name} {n / attempts:.2f}" for name, n in COMMANDS.counts.most_common()))
    return len(ms) / elapsed


if __name__ == "__main__":
    main()
