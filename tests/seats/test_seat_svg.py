"""The shared seat drawing: one element per seat with its id, title and status class; zones told apart by shape;
marks for taken seats and wheelchair places; a legend; nothing inline for the CSP; names escaped."""
import re
import subprocess
import sys
from pathlib import Path

from flask import render_template

from webapp.services import seat_svg

ZONES = [{"code": "A", "name": "Plateia", "colour": "#8ecae6"}, {"code": "B", "name": "Balcão", "colour": "#ffb703"}]


def _seat(sid, status=None, zone="A", flags=(), mine=False, x=0):
    return {"sid": sid, "label": sid.replace("-", ""), "x": x, "y": 0, "zone": zone, "flags": list(flags),
            "status": status, "mine": mine}


def _draw(seats, **kw):
    return render_template("seats/_map.html", svg=seat_svg.draw(seats, ZONES, None, **kw))


def test_every_seat_has_its_id_title_status_and_the_look_of_its_zone_and_status(ctx):
    html = _draw([_seat("F-1", "free"), _seat("F-2", "sold", x=1), _seat("F-3", "held", mine=True, x=2),
                  _seat("F-4", "held", x=3), _seat("F-5", "blocked", zone="B", x=4),
                  _seat("F-6", "free", flags=["wheelchair"], x=5)])
    for sid, status in (("F-1", "free"), ("F-2", "sold"), ("F-3", "mine"), ("F-4", "held"), ("F-5", "blocked")):
        assert re.search(rf'<g id="seat-{sid}" class="seat st-{status}" data-sid="{sid}" role="button"', html)
    assert "<title>F2 · Plateia · Lugar vendido</title>" in html
    assert "<title>F6 · Plateia · Espaço para cadeira de rodas · Livre</title>" in html
    assert '<use href="#z1-blocked"' in html and '<use href="#z0-mine"' in html  # zone B's shape, blocked look
    looks = dict(re.findall(r'<g id="(z\d-\w+)" class="sh">(<\w+)', html))
    assert looks["z0-free"] != looks["z1-free"]  # the two zones differ by shape, not only colour
    assert 'href="#mk-wc"' in html and 'aria-pressed="true"' in html
    legend = html[html.index("seatmap-legend"):]
    for words in ("Plateia (A)", "Balcão (B)", "Livre", "Lugar vendido", "Reservado por outro guichê",
                  "Selecionado por você", "Bloqueado", "Espaço para cadeira de rodas"):
        assert words in legend
    assert not re.search(r"\sstyle\s*=|<script|\son\w+\s*=", html)


def test_names_are_escaped_and_one_seat_is_in_the_tab_order(ctx):
    seat = _seat("X-1", "free")
    seat["label"] = '<script>alert(1)</script>'
    html = _draw([seat, _seat("X-2", "free", x=1)], selected="X-2")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert html.count('tabindex="0"') == 1 and re.search(r'id="seat-X-2"[^>]*tabindex="0"', html)


def test_the_builder_draws_without_statuses_and_without_a_status_legend(ctx):
    html = _draw([_seat("A-1"), _seat("A-2", x=1, flags=["not_for_sale"])])
    assert 'class="seat st-none"' in html and 'class="seat st-none nfs"' in html
    assert "Livre" not in html and "Fora de venda" in html


def test_the_render_bench_runs_and_reports_the_machine():
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, "bench/seats_render.py", "--seats", "300", "--runs", "3"], cwd=root,
                         capture_output=True, text=True, timeout=120)
    assert "machine: " in run.stdout and "load average" in run.stdout and "seats=300" in run.stdout, run.stderr
