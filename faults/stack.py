"""The stack under test: replica set, Redis, SMTP recorder, gunicorn, worker and relay, each killable."""
from __future__ import annotations

import http.client
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import psutil

from localstack import processes
from localstack.databases import start_redis
from localstack.replset import start_replica_set

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "ensaio-geral-123"
DB_NAME = "faults"


class Recorder:
    """An SMTP server on loopback keeping (order number, Message-ID, seconds) of each message it accepts;
    `delay` seconds inside DATA widen the window in which a worker can be killed mid-exchange."""

    def __init__(self, delay=0.0):
        from aiosmtpd.controller import Controller

        self.messages, self.lock, self.delay, self.in_data = [], threading.Lock(), delay, threading.Event()
        self.controller = Controller(self, hostname="127.0.0.1", port=processes.free_port())
        self.controller.start()
        self.port = self.controller.port

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        from email import message_from_bytes

        message = message_from_bytes(envelope.content)
        with self.lock:  # received in full: from here on the customer has it, whatever the worker does next
            self.messages.append((message["Subject"] or "", message["Message-ID"] or "", time.monotonic()))
        self.in_data.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        self.in_data.clear()
        return "250 OK"

    def stop(self):
        self.controller.stop()


def request(port, method, path, body=None, headers=None, timeout=60):
    """(status, json) of one exchange; status 0 when the connection failed or timed out."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        try:
            return response.status, json.loads(data or b"null"), response.getheader("Retry-After")
        except ValueError:
            return response.status, None, None
    except (OSError, http.client.HTTPException):  # refused, reset, or cut inside the answer: no answer, try again
        return 0, None, None
    finally:
        conn.close()


class Stack:
    """Everything `make run` runs, on a three-member replica set, in a temporary directory."""

    def __init__(self, tmp: Path, sellers: int, web_workers: int = 2):
        self.tmp, self.sellers, self.web_workers = tmp, sellers, web_workers
        self.procs, self.port = {}, processes.free_port()
        self.rs = start_replica_set(tmp / "replset")
        self.redis = start_redis(tmp, persist=True)  # as make run: queued jobs survive a Redis restart
        self.smtp = Recorder()
        self.env = dict(os.environ)
        self.env.update(
            FLASK_CONFIG="production", SECRET_KEY="faults-" + "x" * 40, SESSION_COOKIE_SECURE="0",
            MONGODB_URI=f"mongodb://{self.rs.hosts}/{DB_NAME}?replicaSet=rs0", MONGODB_DB=DB_NAME,
            REDIS_URL=self.redis.url, MAIL_HOST="127.0.0.1", MAIL_PORT=str(self.smtp.port), PYTHONUNBUFFERED="1",
            RATELIMIT_LOGIN="10000 per minute", ARGON2_TIME_COST="1", ARGON2_MEMORY_KIB="8192",
            # Shorter than production so a run takes minutes: RQ's retries of a failed confirmation, a hold's
            # life and the sweeper's period (faults 4 and 6).
            CONFIRM_RETRY_INTERVALS="2,5,10,30,60", HOLD_SECONDS="15", HOLD_SWEEP_SECONDS="2")

    def start(self):
        os.environ.update({k: self.env[k] for k in ("FLASK_CONFIG", "SECRET_KEY", "SESSION_COOKIE_SECURE",
                                                    "MONGODB_URI", "MONGODB_DB", "REDIS_URL", "ARGON2_TIME_COST",
                                                    "ARGON2_MEMORY_KIB", "HOLD_SECONDS")})
        self.names = seed_sellers(self.sellers)
        for name in ("web", "worker", "relay"):
            self.spawn(name)
        self.wait_web()
        self.tokens = [self.login(name) for name in self.names]

    def command(self, name):
        py = sys.executable
        return {"web": [py, "-m", "gunicorn", "-w", str(self.web_workers), "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
                "worker": [py, "worker.py"],
                "relay": [py, "-m", "flask", "--app", "wsgi", "outbox-relay"]}[name]

    def spawn(self, name):
        with open(self.tmp / f"{name}.log", "ab") as out:
            self.procs[name] = processes.spawn(self.command(name), env=self.env, cwd=ROOT, stdout=out,
                                               stderr=__import__("subprocess").STDOUT)
        return self.procs[name]

    def kill(self, name, group=True):
        """SIGKILL the process (and, group, everything it started), as the kernel's OOM killer would."""
        proc = self.procs[name]
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        if not group:  # what it had started (RQ's scheduler) is left to die of PR_SET_PDEATHSIG
            time.sleep(0.2)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass

    def web_workers_pids(self):
        try:
            return [c.pid for c in psutil.Process(self.procs["web"].pid).children()]
        except psutil.NoSuchProcess:
            return []

    def wait_web(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if request(self.port, "GET", "/healthz", timeout=5)[0] == 200:
                for _ in range(4 * self.web_workers):  # every worker has loaded the app
                    request(self.port, "GET", "/healthz", timeout=5)
                return
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /healthz (see {self.tmp / 'web.log'})")

    def login(self, name):
        for _ in range(30):
            status, data, _ = request(self.port, "POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD})
            if status == 200:
                return data["token"]
            time.sleep(1)
        raise SystemExit(f"login of {name} failed: {status} {data}")

    def stop(self):
        for proc in reversed(list(self.procs.values())):
            processes.stop_process(proc, 10)
        self.smtp.stop()
        self.redis.stop()
        self.rs.stop()


def seed_sellers(count):
    """`count` sellers with open shifts (through the app's services); returns their usernames."""
    from webapp import create_app
    from webapp.cli import ensure_indexes
    from webapp.services import shifts, users

    app = create_app()
    with app.test_request_context():
        ensure_indexes()
        names = []
        for i in range(count):
            seller = users.create_user(None, username=f"caixa{i}", name=f"Caixa {i}", password=PASSWORD,
                                       roles=["seller"])
            shifts.open_shift(seller, 0)
            names.append(seller.username)
    return names


def new_show(seats, title):
    """A show of `seats` places in one tier, on sale now; returns (show_id, tier_id)."""
    from tests.factories import make_event, tiers_of
    from webapp import create_app

    with create_app().test_request_context():
        show = make_event(title=title, capacity=seats, max_per_order=10, tiers=(("Inteira", 100_00, seats),))
        return str(show.pk), str(tiers_of(show)[0].pk)
