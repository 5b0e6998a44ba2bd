"""The HTTP rush: K sellers selling one show's N seats over the API, through gunicorn, with the worker and relay.

    python bench/rush.py [--workers 4] [--sellers 32] [--seats 2000] [--sales N] [--duration 120]

Starts its own mongod (one-node replica set) and redis-server in a temp dir (the launcher's start_mongo /
start_redis), seeds K sellers with open shifts and one show of N seats through the app, then runs
`gunicorn -w W wsgi:app`, the RQ worker (`python worker.py`) and the outbox relay (`flask outbox-relay`) as
`make run` does (production config, no access log). Each seller signs in over POST /api/v1/auth/login and
sells 1 ticket per POST /api/v1/orders (a fresh Idempotency-Key each) from its own thread, on one kept HTTP
connection (reopened when the server closes it, as a POS browser's or an API client's would be), until the show is
sold out, --sales answers were received or --duration seconds have passed. Loopback only.

Prints sales/s, latency percentiles, answers by status, MongoDB's committed/aborted transactions
(serverStatus), CPU seconds per process (psutil; the load generator is this process, so its share is shown),
oversold (tickets beyond the seats) and lost (201 answers without their order, or orders without a 201), and
how long the worker lags behind the last sale (last 201 → every order confirmed). Exits 1 when anything was
oversold or lost. --email SHARE gives that share of sales a customer e-mail, sent to an SMTP sink run here.
"""
import argparse
import collections
import http.client
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from localstack.databases import start_mongo, start_redis  # noqa: E402
from localstack.processes import free_port  # noqa: E402

PASSWORD = "ensaio-geral-123"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (W)")
    parser.add_argument("--sellers", type=int, default=32, help="concurrent sellers, one thread each (K)")
    parser.add_argument("--seats", type=int, default=2000, help="seats of the show (N)")
    parser.add_argument("--sales", type=int, default=None, help="stop after this many answers (default: sold out)")
    parser.add_argument("--duration", type=float, default=120, help="stop the rush after this many seconds")
    parser.add_argument("--lag-timeout", type=float, default=180, help="seconds to wait for the worker to catch up")
    parser.add_argument("--email", type=float, default=0.0, help="share of sales with a customer e-mail (0–1)")
    return parser.parse_args(argv)


def app_env(mongo, redis, smtp_port, db_name="rush"):
    """The environment of every app process, as `make run` gives it, with production settings."""
    env = dict(os.environ)
    env.update(FLASK_CONFIG="production", SECRET_KEY="bench-rush-" + "x" * 32, SESSION_COOKIE_SECURE="0",
               MONGODB_URI=f"mongodb://127.0.0.1:{mongo.port}/{db_name}?replicaSet=rs0", MONGODB_DB=db_name,
               REDIS_URL=redis.url, MAIL_HOST="127.0.0.1", MAIL_PORT=str(smtp_port), PYTHONUNBUFFERED="1",
               RATELIMIT_LOGIN="10000 per minute",  # every seller signs in from 127.0.0.1
               ARGON2_TIME_COST="1", ARGON2_MEMORY_KIB="8192")  # sign-ins are not what is measured
    return env


def seed(args):
    """K sellers with open shifts, one show of N seats (one tier); returns (show_id, tier_id, usernames)."""
    from tests.factories import make_event, tiers_of
    from webapp import create_app
    from webapp.cli import ensure_indexes
    from webapp.services import shifts, users

    app = create_app()
    with app.test_request_context():
        ensure_indexes()
        names = []
        for i in range(args.sellers):
            seller = users.create_user(None, username=f"rush{i}", name=f"Rush {i}", password=PASSWORD,
                                       roles=["seller"])
            shifts.open_shift(seller, 0)
            names.append(seller.username)
        show = make_event(title="Rush", capacity=args.seats, max_per_order=10,
                          tiers=(("Inteira", 100_00, args.seats),))
        return str(show.pk), str(tiers_of(show)[0].pk), names


# What a kept connection the server has closed meanwhile (gunicorn's keepalive ran out, a worker restarted) raises
# on the next exchange: that exchange is sent again on a new connection.
_CLOSED = (http.client.RemoteDisconnected, http.client.CannotSendRequest, http.client.BadStatusLine,
           ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


class Connection:
    """One seller's persistent HTTP connection, as a POS browser or an API client keeps it (gunicorn's gthread
    workers keep it open `keepalive` seconds between requests); reopened when the server has closed it."""

    opened = 0  # connections opened by every seller (reconnects included), printed with the figures
    _lock = threading.Lock()

    def __init__(self, port):
        self.port, self.conn = port, None

    def request(self, method, path, body=None, headers=None):
        """(status, json, seconds) of one exchange. A retry after a closed connection is safe: sales carry an
        Idempotency-Key, so a POST the server did get answers its first result."""
        start = time.perf_counter()
        payload = json.dumps(body) if body is not None else None
        headers = {"Content-Type": "application/json", **(headers or {})}
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                with Connection._lock:
                    Connection.opened += 1
            try:
                self.conn.request(method, path, body=payload, headers=headers)
                response = self.conn.getresponse()
                data = response.read()  # all of it, so the connection can carry the next request
                break
            except _CLOSED:
                self.close()
                if attempt:
                    raise
            except BaseException:
                self.close()
                raise
        elapsed = time.perf_counter() - start
        try:
            return response.status, json.loads(data or b"null"), elapsed
        except ValueError:
            return response.status, None, elapsed

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def request(port, method, path, body=None, headers=None):
    """One HTTP exchange on a connection of its own (sign-ins, health checks): (status, json, seconds)."""
    conn = Connection(port)
    try:
        return conn.request(method, path, body, headers)
    finally:
        conn.close()


def wait_healthy(port, procs, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            raise SystemExit(f"a process exited on start: {[(p.args[-1], p.poll()) for p in procs]}")
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def cpu_of(proc):
    """CPU seconds of a process and its reaped children (RQ's forked work horses), and of its live children."""
    try:
        p = psutil.Process(proc.pid)
        t = p.cpu_times()
        total = t.user + t.system + t.children_user + t.children_system
        for child in p.children(recursive=True):
            try:
                c = child.cpu_times()
                total += c.user + c.system
            except psutil.NoSuchProcess:
                pass
        return total
    except psutil.NoSuchProcess:
        return 0.0


def cpu_snapshot(procs):
    return {name: cpu_of(p) for name, p in procs.items()}


def transactions(client):
    t = client.admin.command("serverStatus")["transactions"]
    return {k: t[k] for k in ("totalStarted", "totalCommitted", "totalAborted")}


def rush(args, port, show_id, tier_id, tokens, emails):
    """K threads selling until sold out / budget / deadline: list of (status, seconds, finished_at, number, seller)."""
    results, lock, stop, errors = [], threading.Lock(), threading.Event(), ERRORS
    deadline = time.perf_counter() + args.duration
    body = {"event_id": show_id, "items": [{"ticket_type_id": tier_id, "quantity": 1}],
            "payments": [{"method": "cash"}]}

    def seller(i, token):
        conn = Connection(port)  # one kept connection per seller, as a POS or an API client keeps one
        try:
            sell_until_stopped(i, token, conn)
        finally:
            conn.close()

    def sell_until_stopped(i, token, conn):
        n = 0
        while not stop.is_set() and time.perf_counter() < deadline:
            n += 1
            sale = dict(body)
            if emails and (n * 7919 + i) % 1000 < emails * 1000:
                sale["customer"] = {"name": f"Cliente {i}-{n}", "email": f"c{i}-{n}@example.com"}
            status, data, seconds = conn.request("POST", "/api/v1/orders", sale, {
                "Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())})
            with lock:
                results.append((status, seconds, time.perf_counter(), (data or {}).get("number"), i))
                if status != 201 and len(errors) < 5:
                    errors.append(f"{status} {(data or {}).get('error')}")
                if status == 409 or (args.sales and len(results) >= args.sales):
                    stop.set()  # sold out (or the budget is spent): the other sellers stop after their answer

    threads = [threading.Thread(target=seller, args=(i, t)) for i, t in enumerate(tokens)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, began, time.perf_counter()


ERRORS = []  # the first few refusals' answers, printed with the figures


def pct(ms, q):
    return ms[min(len(ms) - 1, int(len(ms) * q))] if ms else float("nan")


def main(argv=None):
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rush-") as tmp:
        tmp = Path(tmp)
        mongo, redis = start_mongo(tmp), start_redis(tmp)
        smtp = start_smtp_sink()
        children = {}
        try:
            env = app_env(mongo, redis, smtp.port)
            os.environ.update({k: env[k] for k in ("FLASK_CONFIG", "SECRET_KEY", "SESSION_COOKIE_SECURE", "MONGODB_URI",
                                                   "MONGODB_DB", "REDIS_URL", "ARGON2_TIME_COST", "ARGON2_MEMORY_KIB")})
            show_id, tier_id, names = seed(args)
            return measure(args, tmp, env, mongo, redis, children, show_id, tier_id, names)
        finally:
            for proc in reversed(list(children.values())):
                stop(proc)
            smtp.stop()
            redis.stop()
            mongo.stop()


def start_smtp_sink():
    """An SMTP server on loopback that accepts and drops every message (the worker's e-mails)."""
    from aiosmtpd.controller import Controller

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def spawn(cmd, env, log):
    with open(log, "ab") as out:
        return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def stop(proc):
    """SIGTERM the process group we started, SIGKILL it if it lingers."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()


def measure(args, tmp, env, mongo, redis, children, show_id, tier_id, names):
    import pymongo

    port, py = free_port(), sys.executable
    flask = [py, "-m", "flask", "--app", "wsgi"]
    children["gunicorn"] = spawn([py, "-m", "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                                  "wsgi:app"], env, tmp / "gunicorn.log")
    children["worker"] = spawn([py, "worker.py"], env, tmp / "worker.log")
    children["relay"] = spawn([*flask, "outbox-relay"], env, tmp / "relay.log")
    wait_healthy(port, list(children.values()))
    tokens = []
    for name in names:
        status, data, _ = request(port, "POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD})
        if status != 200:
            raise SystemExit(f"login of {name} failed: {status} {data}")
        tokens.append(data["token"])
    for _ in range(4 * args.workers):  # every gunicorn worker has loaded the app and connected
        request(port, "GET", "/healthz")
    client = pymongo.MongoClient(env["MONGODB_URI"])
    db = client[env["MONGODB_DB"]]
    procs = {**children, "mongod": mongo.proc, "redis": redis.proc}
    me = psutil.Process()
    cpu0, tx0, load0, own0 = cpu_snapshot(procs), transactions(client), os.getloadavg(), sum(me.cpu_times()[:2])
    Connection.opened = 0
    results, began, ended = rush(args, port, show_id, tier_id, tokens, args.email)
    cpu1, tx1, load1, own1 = cpu_snapshot(procs), transactions(client), os.getloadavg(), sum(me.cpu_times()[:2])
    made = [r for r in results if r[0] == 201]
    last_sale = max((r[2] for r in made), default=ended)
    lag, confirmed_at_end = worker_lag(db, len(made), last_sale, args.lag_timeout)
    cpu2 = cpu_snapshot(procs)
    report(args, results, made, began, ended, cpu0, cpu1, cpu2, tx0, tx1, load0, load1, own1 - own0, lag,
           confirmed_at_end)
    oversold, lost = integrity(db, made, args.seats)
    print(f"oversold={oversold} lost={lost}")
    client.close()
    return 1 if oversold or lost else 0


def worker_lag(db, sold, last_sale, timeout):
    """Seconds from the last 201 until every order left `pending` (confirmed by the worker), and how many were
    confirmed when the rush ended."""
    at_end = db.orders.count_documents({"status": {"$ne": "pending"}})
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if db.orders.count_documents({"status": {"$ne": "pending"}}) >= sold:
            return time.perf_counter() - last_sale, at_end
        time.sleep(0.1)
    return None, at_end


def integrity(db, made, seats):
    """(oversold, lost): tickets beyond the seats or the counters; 201s without an order and orders without a 201."""
    tickets = db.tickets.count_documents({})
    counters = list(db.inventory.find({"kind": {"$in": ["event", "tier"]}}, {"quota": 1, "remaining": 1}))
    oversold = max(0, tickets - seats) + sum(1 for c in counters if c["remaining"] < 0
                                              or c["quota"] - c["remaining"] != tickets)
    numbers = {r[3] for r in made}
    in_db = {o["number"] for o in db.orders.find({}, {"number": 1})}
    return oversold, len(numbers - in_db) + len(in_db - numbers) + (len(made) - len(numbers))


def report(args, results, made, began, ended, cpu0, cpu1, cpu2, tx0, tx1, load0, load1, own, lag, at_end):
    wall = ended - began
    ms = sorted(r[1] * 1000 for r in made)
    statuses = {}
    for r in results:
        statuses[r[0]] = statuses.get(r[0], 0) + 1
    cpu_model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                     platform.processor())
    print(f"machine: nproc={os.cpu_count()} cpu={cpu_model!r} python={platform.python_version()}")
    print(f"load average before/after: {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f} / "
          f"{load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
    print(f"W={args.workers} K={args.sellers} N={args.seats} email={args.email:.0%}  rush {wall:.1f} s")
    print(f"sales={len(made)} ({len(made) / wall:.1f}/s)  answers by status: "
          + " ".join(f"{s}={n}" for s, n in sorted(statuses.items())))
    print(f"HTTP connections opened by the sellers: {Connection.opened} for {len(results)} requests")
    per_seller = sorted(collections.Counter(r[4] for r in results if r[0] == 201).values())
    if per_seller:  # how evenly the server shared itself: one seller's kept connection waits behind its worker's
        print(f"sales per seller: min={per_seller[0]} median={per_seller[len(per_seller) // 2]} "
              f"max={per_seller[-1]}")
    for line in ERRORS:
        print(f"  refused: {line}")
    if ms:
        print(f"latency of 201s, ms: p50={pct(ms, .5):.1f} p90={pct(ms, .9):.1f} p99={pct(ms, .99):.1f} "
              f"max={ms[-1]:.1f}")
    committed, aborted = (tx1[k] - tx0[k] for k in ("totalCommitted", "totalAborted"))
    print(f"transactions: committed={committed} aborted={aborted} "
          f"({aborted / max(1, len(made)):.3f} aborted per sale)")
    print("CPU seconds during the rush (per sale, share of the rush's wall time in cores):")
    for name in cpu0:
        used = cpu1[name] - cpu0[name]
        print(f"  {name:<9}{used:7.2f} s  {1000 * used / max(1, len(made)):6.2f} ms/sale  {used / wall:5.2f} cores")
    print(f"  {'bench':<9}{own:7.2f} s  {1000 * own / max(1, len(made)):6.2f} ms/sale  {own / wall:5.2f} cores"
          "  (this load generator's threads, on the same cores)")
    worker_all = cpu2["worker"] - cpu0["worker"]
    print(f"worker: {at_end}/{len(made)} orders confirmed when the rush ended; "
          + (f"all confirmed {lag:.1f} s after the last sale" if lag is not None else "NOT all confirmed in time")
          + f"; worker CPU {1000 * worker_all / max(1, len(made)):.1f} ms/order (rush + catch-up)")


if __name__ == "__main__":
    sys.exit(main())
