"""Best available in a 2,500-seat house: time of seats.best_available for N seats on a real local mongod.

    python bench/seats_best.py [--runs 300] [--quantity 4] [--sold 0.6]

Starts its own mongod in a temp dir, builds a seated venue (50 rows × 50 seats, one zone: the worst case, every
seat a candidate), gives a show its seats through the service, marks a share of them sold at random, then times
best_available (read of the zone's seats + the pick) and the pick alone. Target: ≤ 20 ms for 4 seats.
"""
import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.kit import own_mongo  # noqa: E402


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"{platform.node()} · {cpu} · {os.cpu_count()} cores · Python {platform.python_version()}"


def build_show(rows=50, per_row=50):
    from webapp.models import MapSeat, SeatMap, Zone
    from webapp.models.base import utcnow
    from webapp.services import events, venues

    venue = venues.create_venue(None, name="Grande Teatro", capacity=rows * per_row, kind="reserved")
    seats = [MapSeat(sid=f"R{r:02d}-{n:02d}", section="Plateia", row=f"R{r:02d}", number=str(n), x=n, y=r,
                     zone="A", rank=r * 100 + abs(2 * n - per_row - 1)) for r in range(1, rows + 1)
             for n in range(1, per_row + 1)]
    SeatMap(venue=venue, zones=[Zone(code="A", name="Plateia", colour="#336699")], seats=seats).save()
    starts = utcnow() + timedelta(days=7)
    return events.create_event(None, events.EventFields(title="Bench", venue=venue, starts_at=starts,
                                                        ends_at=starts + timedelta(hours=2)))


def timed(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--quantity", type=int, default=4)
    parser.add_argument("--sold", type=float, default=0.6)
    args = parser.parse_args()
    with own_mongo(FLASK_CONFIG="testing", SECRET_KEY="bench"):
        run(args)


def run(args):
    from webapp import create_app
    from webapp.cli import ensure_indexes
    from webapp.models import ShowSeat
    from webapp.services import best_seats, seats

    app = create_app()
    with app.test_request_context():
        ensure_indexes()
        show = build_show()
        sids = ShowSeat.objects(event_id=show.pk).distinct("sid")
        random.seed(12)
        ShowSeat.objects(event_id=show.pk, sid__in=random.sample(sids, int(len(sids) * args.sold))) \
            .update(set__status="sold")
        seats.best_available(show.pk, "A", args.quantity)  # warm the connection and the cache
        loaded = list(ShowSeat._get_collection().find({"event_id": show.pk, "zone": "A"}))
        full = timed(lambda: seats.best_available(show.pk, "A", args.quantity), args.runs)
        pick = timed(lambda: best_seats.pick(loaded, args.quantity), args.runs)
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"machine: {machine()}")
    print(f"load average (1/5/15 min): {load}")
    print(f"house: {len(sids)} seats, {args.sold:.0%} sold at random; {args.quantity} seats best available; "
          f"{args.runs} runs")
    print("best_available (read + pick)  p50 {:.2f} ms  p95 {:.2f} ms  max {:.2f} ms".format(*full))
    print("pick alone (in memory)        p50 {:.2f} ms  p95 {:.2f} ms  max {:.2f} ms".format(*pick))
    print(f"target: p95 <= 20 ms -> {'met' if full[1] <= 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
