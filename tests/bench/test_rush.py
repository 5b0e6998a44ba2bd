"""bench/rush.py on a handful of sales: the whole stack over HTTP sells out without overselling or losing an order."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_small_rush_sells_out_with_nothing_oversold_or_lost():
    run = subprocess.run([sys.executable, "bench/rush.py", "--workers", "1", "--sellers", "3", "--seats", "12",
                          "--duration", "30", "--lag-timeout", "30", "--email", "0.5"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "sales=12 " in run.stdout and "409=" in run.stdout  # every seat sold, then "sold out"
    assert "oversold=0 lost=0" in run.stdout
    # Each seller keeps its connection (gunicorn's gthread workers keep it alive): 3 sellers, not one per request.
    opened, requests = re.search(r"connections opened by the sellers: (\d+) for (\d+) requests", run.stdout).groups()
    assert int(opened) < int(requests), run.stdout
    assert "12/12" in run.stdout or "all confirmed" in run.stdout, run.stdout
