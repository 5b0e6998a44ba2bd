"""`make run` supervisor: mongod + redis under var/, init-db, seed-demo, then web, worker, relay.
`python -m localstack run --replica-set` runs a three-member replica set instead (var/replset/, priorities as
in docker-compose.yml) to try failover by hand; `make faults` (faults/) starts its own.

Every child is stopped on Ctrl-C / SIGTERM, and everything stops (exit 1) if one child dies.
`make reset-data` (reset_data below) wipes the data of var/'s databases, running or not, and stops nothing.
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
import urllib.error
import urllib.request
from pathlib import Path

from .databases import start_mongo, start_redis
from .replset import start_replica_set
from .processes import StackError, spawn, stop_process

ROOT = Path(__file__).resolve().parent.parent  # the repository: wsgi.py, worker.py, var/
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


def wait_until_answering(port: int, proc: subprocess.Popen, timeout: float = 90, path: str = "/healthz") -> None:
    """Return once the web app answers `path` with 200 (its databases reachable); StackError if it dies first.

    gunicorn takes the port at once, seconds before its workers have loaded the app: an open port is no answer.
    """
    deadline, url = time.monotonic() + timeout, f"http://127.0.0.1:{port}{path}"
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):  # refused, reset, timed out, 503 while a database starts
            pass
        time.sleep(0.2)
    raise StackError(f"the web app did not answer {url} (exit code {proc.poll()})")


def _app_env(mongo_hosts: int | str, redis_url: str) -> dict:
    """The environment of every app process: the local databases, the secret key kept in var/.

    mongo_hosts: the one member's port, or "host:port,host:port,…" of a replica set."""
    env = dict(os.environ)
    name = env.get("MONGODB_DB") or DB_NAME  # in the URI too: a database named there wins over MONGODB_DB
    hosts = f"127.0.0.1:{mongo_hosts}" if isinstance(mongo_hosts, int) else mongo_hosts
    env.update(MONGODB_URI=f"mongodb://{hosts}/{name}?replicaSet=rs0", MONGODB_DB=name,
               REDIS_URL=redis_url,
               SECRET_KEY=env.get("SECRET_KEY") or _secret_key(), PYTHONUNBUFFERED="1")
    return env


def _running_ports(var: Path) -> tuple[int, int] | None:
    """(mongo, redis) ports of a `make run` using var/ right now, or None when it is not running."""
    try:
        ports = json.loads((var / "ports.json").read_text())
        mongo, redis = int(ports["MONGO_PORT"]), int(ports["REDIS_PORT"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (mongo, redis) if not _free(mongo) and not _free(redis) else None


def reset_data(var: Path = VAR) -> int:
    """Wipe the data of var/'s MongoDB and Redis and seed the demo again; a running `make run` keeps running."""
    var.mkdir(exist_ok=True)
    running, services = _running_ports(var), []
    try:
        if running:
            mongo_port, redis_url = running[0], f"redis://127.0.0.1:{running[1]}/0"
        else:  # nothing running: start the databases on their data just for this, and stop them after
            mongo = start_mongo(var)
            services.append(mongo)
            redis = start_redis(var, persist=True)
            services.append(redis)
            mongo_port, redis_url = mongo.port, redis.url
        _run_step(_flask("reset-data", "--yes"), _app_env(mongo_port, redis_url))
    except StackError as e:
        print(f"error: {e}", file=sys.stderr, flush=True)
        return 1
    finally:
        for svc in reversed(services):
            svc.stop()
    return 0


def _start_databases(replica_set: bool, mongo_port, redis_port, services: list):
    """(Mongo hosts for _app_env, Redis service, what to print about Mongo), appending to `services`."""
    if replica_set:
        rs = start_replica_set(VAR / "replset")
        services.extend(rs.members)
        hosts = rs.hosts
        where = "three members, data in var/replset/mongo<i>, logs var/replset/mongod<i>.log"
    else:
        mongo = start_mongo(VAR, port=mongo_port)
        services.append(mongo)
        hosts, where = mongo.port, "data in var/mongo, log var/mongod.log"
    redis = start_redis(VAR, port=redis_port, persist=True)
    services.append(redis)
    return hosts, redis, where


def run(replica_set: bool = False) -> int:
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
        hosts, redis, where = _start_databases(replica_set, mongo_port, redis_port, services)
        if not replica_set:
            ports_file.write_text(json.dumps({"MONGO_PORT": hosts, "REDIS_PORT": redis.port}))
        env = _app_env(hosts, redis.url)
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
        wait_until_answering(web_port, children[0][1])
        print(f"\n  Bilheteria is running at http://127.0.0.1:{web_port}/\n"
              f"  MongoDB {env['MONGODB_URI']}   ({where})\n"
              f"  Redis   {redis.url}   (data in var/redis, log var/redis.log)\n"
              f"  {', '.join(n for n, _ in children)} supervised, logging here; Ctrl-C stops everything.\n",
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
    if args in (["run"], ["run", "--replica-set"]):
        return run(replica_set=args[1:] == ["--replica-set"])
    if args == ["reset-data"]:
        return reset_data()
    print("usage: python -m localstack run [--replica-set] | reset-data", file=sys.stderr)
    return 2
