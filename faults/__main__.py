"""`python -m faults [--faults 1,3,5] [--repeat N] [--clients K]` (`make faults FAULTS=1,3,5`)."""
import argparse
import datetime
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faults import checks  # noqa: E402
from faults.clients import Clients  # noqa: E402
from faults.scenarios import FAULTS  # noqa: E402
from faults.stack import Stack, new_show  # noqa: E402

SEATS = 100_000  # never sold out: every refusal would be a fault's doing
WARM = 3.0  # seconds of selling before the fault


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--faults", default="1,2,3,4,5,6", help="which faults, in order (e.g. 1,3,5)")
    parser.add_argument("--repeat", type=int, default=1, help="run each fault this many times in a row")
    parser.add_argument("--clients", type=int, default=8, help="careful clients (sellers), one thread each")
    parser.add_argument("--keep", action="store_true", help="keep the logs' directory and print where it is")
    args = parser.parse_args(argv)
    try:
        args.faults = [int(n) for n in args.faults.split(",") if n.strip()]
        assert args.faults and all(n in FAULTS for n in args.faults)
    except (ValueError, AssertionError):
        parser.error(f"--faults takes numbers among {sorted(FAULTS)}, comma-separated")
    return args


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"{now}  nproc={os.cpu_count()} cpu={cpu!r} load={os.getloadavg()[0]:.1f} python={platform.python_version()}"


def run_one(stack, db, number, round_):
    title, fault = FAULTS[number]
    show_id, tier_id = new_show(SEATS, f"Fault {number}.{round_}")
    clients = Clients(stack.port, stack.tokens, show_id, tier_id).start()
    time.sleep(WARM)
    at = time.monotonic()
    extra, ok, *after_stop = fault(stack, clients, db)
    clients.stop()
    for finish in after_stop:
        more, also = finish()
        extra.update(more)
        ok = ok and also
    settled = checks.settle(db, show_id)
    if number == 4:
        extra["backlog_drained_s"] = round(time.monotonic() - stack.back_at, 1)
    extra["settled_s"] = round(settled, 1)
    figures = checks.figures(db, show_id, SEATS, clients, stack.smtp, at)
    ok = ok and all(figures[k] == 0 for k in checks.MUST_BE_ZERO)
    print(checks.line(number, title, extra, figures, ok), flush=True)
    with open(stack.tmp / f"answers-{number}.{round_}.txt", "w") as out:  # for a look at the timeline (--keep)
        out.writelines(f"{a.sent - at:8.2f} {a.received - at:8.2f} {a.status} seller{a.seller} {a.key}\n"
                       for a in sorted(clients.answers, key=lambda a: a.sent))
    return ok


def main(argv=None):
    import pymongo

    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="faults-"))
    print(f"machine: {machine()}", flush=True)
    stack = Stack(tmp, args.clients)
    failed = 0
    try:
        stack.start()
        db = pymongo.MongoClient(stack.env["MONGODB_URI"], timeoutMS=10000)[stack.env["MONGODB_DB"]]
        for number in args.faults:
            for round_ in range(1, args.repeat + 1):
                failed += not run_one(stack, db, number, round_)
    finally:
        stack.stop()
        if args.keep or failed:
            print(f"logs: {tmp}", flush=True)
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
