"""Server time to draw a 2,500-seat map (the shared SVG: services/seat_svg.py + templates/seats/_map.html).

    python bench/seats_render.py [--seats 2500] [--runs 30]

Builds a map with the seat-map generator (three sections of rows, two zones, wheelchair places), gives every
seat a status (free / held / mine / sold / blocked, shuffled) and times what a request spends drawing it:
seat_svg.draw() and the template render, in a request context (pt-BR). No database: the seats a page draws
come from one indexed read (timed by the seating helper's bench); this is the part that grows with the house.
Prints the machine (cores, CPU, load average) with the median and 95th percentile of --runs after 3 warm-ups.
"""
import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STATUSES = ["free"] * 6 + ["held", "mine", "sold", "sold", "sold", "blocked"]


def _seats(total):
    from webapp.services import seat_layout as layout

    per_row = 50
    rows = max(1, total // per_row)
    seats = []
    for section, x, width, numbering in (("Lateral Esquerda", 0, 12, "even_rtl"), ("Plateia", 13, 26, "odd_even"),
                                         ("Lateral Direita", 40, 12, "odd_ltr")):
        seats += layout.block_seats(layout.Block(section=section, zone="A" if section == "Plateia" else "B",
                                                 rows=min(rows, 60), per_row=width, numbering=numbering, x=x,
                                                 first_number=1 if section == "Plateia" else 27, curve=1))
    seats = seats[:total]
    rnd = random.Random(7)
    for seat in seats:
        status = rnd.choice(STATUSES)
        seat.update(status="held" if status == "mine" else status, mine=status == "mine",
                    label=f"{seat['row']}{seat['number']}")
        if rnd.random() < 0.01:
            seat["flags"] = ["wheelchair"]
    layout.default_ranks(seats)
    return seats


def _cpu():
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("FLASK_CONFIG", "testing")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key")
    from flask import render_template

    from webapp import create_app
    from webapp.services import seat_svg

    app = create_app({"WTF_CSRF_ENABLED": False})
    zones = [{"code": "A", "name": "Plateia", "colour": "#8ecae6"},
             {"code": "B", "name": "Lateral", "colour": "#b5e48c"}]
    times, size = [], 0
    with app.test_request_context(headers={"Accept-Language": "pt-BR"}):
        seats = _seats(args.seats)
        for run in range(args.runs + 3):
            started = time.perf_counter()
            html = render_template("seats/_map.html", svg=seat_svg.draw(seats, zones, {}))
            elapsed = (time.perf_counter() - started) * 1000
            size = len(html)
            if run >= 3:
                times.append(elapsed)
    times.sort()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, {_cpu()}, Python {platform.python_version()}, load average {load}")
    print(f"seats={len(seats)} svg={size / 1024:.0f} KiB runs={len(times)}")
    print(f"draw+render ms: median={statistics.median(times):.1f} p95={times[int(len(times) * 0.95) - 1]:.1f} "
          f"min={times[0]:.1f} max={times[-1]:.1f} (target <= 100)")
    return 0 if statistics.median(times) <= 100 else 1


if __name__ == "__main__":
    sys.exit(main())
