"""A three-member local replica set (priorities as in docker-compose.yml) for `make faults`: members can be
killed, frozen and restarted on their own port and data, as a real set's nodes are."""
from __future__ import annotations

import json
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from .databases import POLL, Service, _clear_stale_mongod_lock, _launch, _live, mongod_command
from .processes import StackError, stop_process

PRIORITIES = (2, 1, 1)  # docker-compose.yml: mongo1 is preferred, and takes the primary back when it returns
# A silent primary is replaced after 5 s (MongoDB's default: 10 s), so sales resume within 15 s of a crash; a new
# primary waits at most 1 s to catch up (it waits that long on a frozen old primary; majority writes, the only
# kind the app makes, are on the new one already). The same in docker-compose.yml and deploy/k8s/mongo-init-job.yaml.
SETTINGS = {"electionTimeoutMillis": 5000, "catchUpTimeoutMillis": 1000}


@dataclass
class ReplicaSet:
    name: str
    datadir: Path
    members: list[Service] = field(default_factory=list)

    @property
    def hosts(self) -> str:
        return ",".join(f"127.0.0.1:{m.port}" for m in self.members)

    @property
    def url(self) -> str:
        return f"mongodb://{self.hosts}/?replicaSet={self.name}"

    def _direct(self, i: int):
        import pymongo

        return pymongo.MongoClient(f"127.0.0.1:{self.members[i].port}", directConnection=True,
                                   serverSelectionTimeoutMS=1000, timeoutMS=2000)

    def state(self, i: int) -> str | None:
        """PRIMARY / SECONDARY / … as member i sees itself; None when it does not answer."""
        from pymongo.errors import PyMongoError

        if self.members[i].proc.poll() is not None:
            return None
        client = self._direct(i)
        try:
            hello = client.admin.command("hello")
            return "PRIMARY" if hello.get("isWritablePrimary") else "SECONDARY" if hello.get("secondary") else "OTHER"
        except PyMongoError:
            return None
        finally:
            client.close()

    def primary(self) -> int | None:
        return next((i for i in range(len(self.members)) if self.state(i) == "PRIMARY"), None)

    def wait(self, healthy: bool = True, timeout: float = 90) -> int:
        """Wait for a primary (and, healthy, every member PRIMARY or SECONDARY); returns the primary's index."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = [self.state(i) for i in range(len(self.members))]
            if "PRIMARY" in states and (not healthy or all(s in ("PRIMARY", "SECONDARY") for s in states)):
                return states.index("PRIMARY")
            time.sleep(0.2)
        raise StackError(f"replica set {self.name}: no healthy primary after {timeout:.0f}s: {states}")

    def signal(self, i: int, sig: int) -> None:
        self.members[i].proc.send_signal(sig)
        if sig == signal.SIGKILL:
            self.members[i].proc.wait()

    def restart(self, i: int, timeout: float = 60) -> Service:
        """Start member i again on its port and data (after a kill): it rejoins the set by itself."""
        old = self.members[i]
        stop_process(old.proc, 5)
        if old in _live:
            _live.remove(old)
        self.members[i] = _start_member(self.name, self.datadir, i, old.port, timeout)
        return self.members[i]

    def stop(self) -> None:
        for member in reversed(self.members):
            member.stop()


def _start_member(name: str, datadir: Path, i: int, port: int | None, timeout: float) -> Service:
    dbpath = datadir / f"mongo{i}"
    dbpath.mkdir(parents=True, exist_ok=True)
    _clear_stale_mongod_lock(dbpath)
    log, out = datadir / f"mongod{i}.log", datadir / f"mongod{i}.out"
    p, proc = _launch(f"mongod{i}", mongod_command(dbpath, log, name), port, [log, out], timeout)
    member = Service(f"mongod{i}", f"mongodb://127.0.0.1:{p}/?directConnection=true", p, proc, datadir, log)
    _live.append(member)
    return member


def start_replica_set(datadir: Path, name: str = "rs0", priorities=PRIORITIES, timeout: float = 90) -> ReplicaSet:
    """Start len(priorities) mongod members in datadir/mongo<i>, initiate them as one set, wait until healthy."""
    from pymongo.errors import OperationFailure

    rs = ReplicaSet(name, Path(datadir).resolve())
    # The set's config names each member by host:port: a set started again on kept data needs the same ports.
    ports_file = rs.datadir / "ports.json"
    ports = json.loads(ports_file.read_text()) if ports_file.exists() else [None] * len(priorities)
    try:
        for i in range(len(priorities)):
            rs.members.append(_start_member(name, rs.datadir, i, ports[i], timeout))
        ports_file.write_text(json.dumps([m.port for m in rs.members]))
        client = rs._direct(0)
        try:
            client.admin.command("replSetInitiate", {
                "_id": name, "settings": SETTINGS,
                "members": [{"_id": i, "host": f"127.0.0.1:{m.port}", "priority": priority}
                            for i, (m, priority) in enumerate(zip(rs.members, priorities))]})
        except OperationFailure as e:
            if e.code != 23:  # AlreadyInitialized
                raise
        finally:
            client.close()
        deadline = time.monotonic() + timeout
        while rs.primary() != 0 and time.monotonic() < deadline:  # the priority-2 member wins the first election
            time.sleep(POLL * 4)
        rs.wait(timeout=max(1, deadline - time.monotonic()))
    except BaseException:
        rs.stop()
        raise
    return rs
