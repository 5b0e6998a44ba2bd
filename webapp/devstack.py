"""`make run` supervisor: mongod + redis under var/, init-db, seed-demo, then web, worker, relay.

Every child is stopped on Ctrl-C / SIGTERM, and everything stops (exit 1) if one child dies.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from webapp.stack import StackError, spawn, start_mongo, start_redis, stop_process

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DB_NAME = "bilheteria"


class _Stop(Exception):
    """Raised from the SIGINT / SIGTERM handler to unwind into the cleanup."""


def _on_signal(signum, _frame):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # one request is enough; cleanup runs now
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise _Stop(signal.Signals(signum).name)


def _free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _port(env: str, remembered: dict) -> int | None:
    """Env var wins, then last run's port if still free (keeps URLs stable), else any."""
    if os.environ.get(env):
        return int(os.environ[env])
    last = remembered.get(env)
    return last if last and _free(last) else None


def _secret_key() -> str:
    path = VAR / "secret_key"
    if not path.exists():
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def _flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]


def _run_step(cmd: list[str], env: dict) -> None:
    """Run a one-shot command in the foreground; a failure stops the start-up."""
    proc = spawn(cmd, env=env, cwd=ROOT, own_group=False)
    try:
        if proc.wait() != 0:
            raise StackError(f"`{' '.join(cmd[2:])}` failed with exit code {proc.returncode}")
    finally:
        stop_process(proc, 5)


def _has_command(name: str, env: dict) -> bool:
    return subprocess.run(_flask(name, "--help"), env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL).returncode == 0


def _wait_http(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise StackError(f"gunicorn did not listen on 127.0.0.1:{port} (exit code {proc.poll()})")


def run() -> int:
    VAR.mkdir(exist_ok=True)
    ports_file = VAR / "ports.json"
    remembered = json.loads(ports_file.read_text()) if ports_file.exists() else {}
    web_port = int(os.environ.get("PORT") or 5000)
    mongo_port, redis_port = _port("MONGO_PORT", remembered), _port("REDIS_PORT", remembered)
    services, children = [], []  # stopped in reverse order
    status = 0
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        if not _free(web_port):
            raise StackError(f"port {web_port} is in use; run with PORT=<another port>")
        mongo = start_mongo(VAR, port=mongo_port)
        services.append(mongo)
        redis = start_redis(VAR, port=redis_port, persist=True)
        services.append(redis)
        ports_file.write_text(json.dumps({"MONGO_PORT": mongo.port, "REDIS_PORT": redis.port}))
        env = dict(os.environ)
        env.update(
            MONGODB_URI=f"mongodb://127.0.0.1:{mongo.port}/{DB_NAME}?replicaSet=rs0",
            MONGODB_DB=env.get("MONGODB_DB", DB_NAME),
            REDIS_URL=redis.url,
            SECRET_KEY=env.get("SECRET_KEY") or _secret_key(),
            PYTHONUNBUFFERED="1",
        )
        _run_step(_flask("init-db"), env)
        _run_step(_flask("seed-demo"), env)

        plan = [("web", [sys.executable, "-m", "gunicorn", "-w", "2", "-b",
                         f"127.0.0.1:{web_port}", "--access-logfile", "-", "wsgi:app"]),
                ("worker", [sys.executable, "worker.py"])]
        if _has_command("outbox-relay", env):
            plan.append(("relay", _flask("outbox-relay")))
        else:
            print("note: `flask outbox-relay` does not exist yet; running without the relay",
                  flush=True)
        for name, cmd in plan:
            children.append((name, spawn(cmd, env=env, cwd=ROOT)))
        _wait_http(web_port, children[0][1])
        print(f"\n  Bilheteria is running at http://127.0.0.1:{web_port}/\n"
              f"  MongoDB {env['MONGODB_URI']}   (data in var/mongo, log var/mongod.log)\n"
              f"  Redis   {redis.url}   (data in var/redis)\n"
              f"  {', '.join(n for n, _ in children)} supervised; Ctrl-C stops everything.\n",
              flush=True)
        while True:
            for name, proc in children:
                if proc.poll() is not None:
                    raise StackError(f"{name} exited unexpectedly with code {proc.returncode}")
            for svc in services:
                if svc.proc.poll() is not None:
                    raise StackError(f"{svc.name} exited unexpectedly with code "
                                     f"{svc.proc.returncode} (see {svc.log})")
            time.sleep(0.2)
    except _Stop as stop:
        print(f"\nstopping ({stop})…", flush=True)
    except StackError as e:
        print(f"\nerror: {e}\nstopping everything.", file=sys.stderr, flush=True)
        status = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for _name, proc in children:  # all at once: each takes a second or so to drain
            if proc.poll() is None:
                proc.terminate()
        for _name, proc in reversed(children):
            stop_process(proc, 15)
        for svc in reversed(services):
            svc.stop()
    return status


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["run"]:
        print("usage: python -m webapp.stack run", file=sys.stderr)
        return 2
    return run()
