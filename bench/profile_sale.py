"""Where one API sale's time goes: round trips, CPU and a profile, through the Flask test client.

    python bench/profile_sale.py [--sales 300] [--profile 25] [--trivial] [--save PATH]

Starts its own mongod (one-node replica set), makes one seller with an open shift and an API token and one
show, then sells one ticket per `POST /api/v1/orders` (fresh Idempotency-Key), one at a time: prints the
wall and CPU milliseconds per sale of this process, the MongoDB commands per sale by name, and (--profile N)
the top functions of a cProfile by cumulative and by own time, mongod's CPU per sale beside this process's.
--trivial also times `GET /api/v1/tickets/NOPE` (a 404 after one find: what any API request costs, auth, Babel,
JSON) for comparison; --save PATH keeps the cProfile's stats.
"""
import argparse
import collections
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
import uuid
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.kit import COMMANDS, own_mongo  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sales", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0, help="profile this many more sales")
    parser.add_argument("--trivial", action="store_true")
    parser.add_argument("--save", metavar="PATH", help="also write the cProfile's stats there (pstats, snakeviz)")
    parser.add_argument("--plans", action="store_true", help="mongod's profiler (level 2) over the timed sales: "
                        "each query shape's plan and keys/documents examined, and $indexStats (no CPU figures)")
    args = parser.parse_args()
    with own_mongo(FLASK_CONFIG="production", SECRET_KEY="bench-profile-" + "x" * 32, SESSION_COOKIE_SECURE="0",
                   REDIS_URL="redis://127.0.0.1:1/0", ARGON2_TIME_COST="1", ARGON2_MEMORY_KIB="8192") as mongo:
        run(args, mongo.proc.pid)


def cpu_ms(pid, task=None):
    """User + system CPU milliseconds a process (or one of its threads) has used so far (/proc stat, ticks)."""
    with open(f"/proc/{pid}/task/{task}/stat" if task else f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def threads_ms(pid):
    """{thread name, digits dropped ("conn12" → "conn"): CPU ms} of mongod's threads alive now."""
    out = collections.Counter()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                name = re.sub(r"\d+$", "", f.read().strip())
            out[name] += cpu_ms(pid, task)
        except OSError:  # the thread ended meanwhile
            pass
    return out


def run(args, mongod_pid):
    from tests.factories import make_event, tiers_of
    from webapp import create_app
    from webapp.cli import ensure_indexes
    from webapp.services import shifts, users

    app = create_app()
    with app.test_request_context():
        ensure_indexes()
        seller = users.create_user(None, username="perfil", name="Perfil", password="ensaio-geral-123",
                                   roles=["seller"])
        shifts.open_shift(seller, 0)
        show = make_event(title="Perfil", capacity=100_000, max_per_order=10, tiers=(("Inteira", 100_00, 100_000),))
        tier = tiers_of(show)[0]
    client = app.test_client()
    login = client.post("/api/v1/auth/login", json={"username": "perfil", "password": "ensaio-geral-123"})
    headers = {"Authorization": f"Bearer {login.get_json()['token']}"}
    body = {"event_id": str(show.pk), "items": [{"ticket_type_id": str(tier.pk), "quantity": 1}],
            "payments": [{"method": "cash"}]}

    def sale():
        answer = client.post("/api/v1/orders", json=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
        assert answer.status_code == 201, answer.get_json()

    for _ in range(20):  # warm-up
        sale()
    if args.trivial:
        COMMANDS.on = True
        wall, cpu = timed(lambda: client.get("/api/v1/tickets/NOPE", headers=headers), args.sales)
        COMMANDS.on = False
        print(f"GET /api/v1/tickets/NOPE: wall p50 {statistics.median(wall):.2f} ms, CPU {cpu:.2f} ms/request, "
              f"commands/request {sum(COMMANDS.counts.values()) / args.sales:.1f}")
        COMMANDS.counts.clear()
    if args.plans:
        from webapp import db
        db.database().command("profile", 2)
    COMMANDS.on = True
    mongod_before, threads_before = cpu_ms(mongod_pid), threads_ms(mongod_pid)
    wall, cpu = timed(sale, args.sales)
    mongod_cpu = (cpu_ms(mongod_pid) - mongod_before) / args.sales
    threads = threads_ms(mongod_pid)
    threads.subtract(threads_before)
    COMMANDS.on = False
    print(f"POST /api/v1/orders ×{args.sales}: wall p50 {statistics.median(wall):.2f} ms "
          f"p90 {sorted(wall)[int(len(wall) * .9)]:.2f} ms, CPU of this process {cpu:.2f} ms/sale, "
          f"of mongod {mongod_cpu:.2f} ms/sale")
    print("mongod's threads, CPU ms/sale: " + ", ".join(
        f"{name} {ms / args.sales:.2f}" for name, ms in threads.most_common(6) if ms > 0))
    total = sum(COMMANDS.counts.values())
    print(f"MongoDB commands per sale: {total / args.sales:.1f} = "
          + ", ".join(f"{name} {n / args.sales:.2f}" for name, n in COMMANDS.counts.most_common()))
    if args.plans:
        print_plans()
    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU time: waits on mongod and a busy machine left out
        profiler.enable()
        for _ in range(args.profile):
            sale()
        profiler.disable()
        if args.save:
            profiler.dump_stats(args.save)
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)


def print_plans():
    """Every operation of the timed sales by collection, command and plan, then which indexes served them."""
    from webapp import db

    database = db.database()
    database.command("profile", 0)
    shapes = collections.Counter()
    for op in database["system.profile"].find({"ns": {"$regex": r"^bench\.(?!system\.)"}}):
        command = op.get("command", {})
        what = next(iter(command), op["op"])
        query = command.get("filter") or command.get("query") or (command.get("q") if what == "q" else None) or {}
        shape = ",".join(sorted({re.sub(r"\.[0-9a-f]{24}$", ".<id>", k) for k in query})) if isinstance(query, dict) else "?"
        shapes[(op["ns"].split(".", 1)[1], op["op"], shape, op.get("planSummary", "-"))] += 1
    for (ns, op, shape, plan), n in sorted(shapes.items()):
        print(f"  {ns:12} {op:9} {n:5}  {{{shape}}}  {plan}")
    print("index accesses since mongod started ($indexStats):")
    for name in sorted(database.list_collection_names()):
        if not name.startswith("system."):
            used = {s["name"]: s["accesses"]["ops"] for s in database[name].aggregate([{"$indexStats": {}}])}
            print(f"  {name:12} " + ", ".join(f"{k} {v}" for k, v in sorted(used.items())))


def timed(call, n):
    wall, cpu0 = [], time.process_time()
    for _ in range(n):
        start = time.perf_counter()
        call()
        wall.append((time.perf_counter() - start) * 1000)
    return wall, (time.process_time() - cpu0) * 1000 / n


if __name__ == "__main__":
    main()
