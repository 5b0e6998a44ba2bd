"""What one MongoDB command costs on this machine, in CPU: the driver's (this process) and mongod's.

    python bench/commands.py [--n 1000] [--rounds 2]

Starts its own mongod (one-node replica set), then times plain pymongo, nothing of the app: a find by _id, an
insert and a `$inc` acknowledged by the primary alone (w:1), an insert acknowledged by a majority (on one node:
written to the journal first), and a transaction of seven inserts and its commit (snapshot/majority, as a sale's).
Prints the machine and its load average, then per kind the CPU milliseconds per command of this process and of
mongod, and the wall time. It shows the floor under a sale: whatever the app does, each command it sends costs
at least this much here.
"""
import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.kit import own_mongo  # noqa: E402


def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000, help="iterations of each kind")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with own_mongo() as mongo:
        measure(mongo.url, mongo.proc.pid, args)


def measure(url, mongod_pid, args):
    from pymongo import MongoClient, WriteConcern
    from pymongo.read_concern import ReadConcern

    client = MongoClient(url)
    db = client.get_database("commands")
    w1, majority = WriteConcern(w=1), WriteConcern(w="majority")
    db.counter.insert_one({"_id": 1, "n": 0})
    parts = [db.get_collection(f"part{i}") for i in range(7)]
    for part in parts:
        part.insert_one({"warm": 1})  # the collections exist: creating one inside a transaction is not measured

    def transaction(i):
        with client.start_session() as session:
            with session.start_transaction(read_concern=ReadConcern("snapshot"), write_concern=majority):
                for part in parts:
                    part.insert_one({"i": i}, session=session)

    kinds = [
        ("find by _id", 1, lambda i: db.counter.find_one({"_id": 1})),
        ("insert, w:1", 1, lambda i: db.get_collection("plain", write_concern=w1).insert_one({"i": i})),
        ("$inc, w:1", 1, lambda i: db.get_collection("counter", write_concern=w1).update_one(
            {"_id": 1}, {"$inc": {"n": 1}})),
        ("insert, w:majority", 1, lambda i: db.get_collection("durable", write_concern=majority).insert_one({"i": i})),
        ("transaction: 7 inserts + commit", 8, transaction),
    ]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    print(f"machine: nproc={os.cpu_count()} cpu={cpu!r} python={platform.python_version()}; load average {load}")
    print(f"{'kind':34s} {'driver ms/cmd':>13s} {'mongod ms/cmd':>13s} {'wall ms/cmd':>11s}")
    for _ in range(args.rounds):
        for name, commands, run in kinds:
            mongod0, own0, wall0 = cpu_ms(mongod_pid), time.process_time(), time.perf_counter()
            for i in range(args.n):
                run(i)
            per = args.n * commands
            print(f"{name:34s} {(time.process_time() - own0) * 1000 / per:13.3f} "
                  f"{(cpu_ms(mongod_pid) - mongod0) / per:13.3f} {(time.perf_counter() - wall0) * 1000 / per:11.3f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
