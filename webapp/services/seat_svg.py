"""Draw seats as one inline SVG (builder, POS, dashboard): shape per zone, mark per status, legend, no inline style.

Seats are dicts {sid, label, x, y, zone, flags, status, mine}; status is None in the builder. The seats' markup is
built here as one string: 2,500 seats through a template loop would cost most of the 100 ms budget.
"""
from markupsafe import Markup, escape

from flask_babel import lazy_gettext as _l

UNIT = 24  # pixels per seat unit
SEAT = 20  # a seat's drawn size
SHAPES = ("circle", "square", "diamond", "triangle", "hexagon")  # zone n gets shape n: colour is never alone
STATUS = {"free": _l("Free"), "mine": _l("Selected by you"), "held": _l("Held by another window"),
          "sold": _l("Sold"), "blocked": _l("Blocked")}
FLAG = {"wheelchair": _l("Wheelchair space"), "companion": _l("Companion seat"),
        "restricted_view": _l("Restricted view"), "not_for_sale": _l("Not for sale")}
FLAG_MARK = {"wheelchair": "wc", "companion": "comp", "restricted_view": "rv"}
STATUS_MARK = {"mine": "mine", "held": "held", "sold": "sold", "blocked": "blocked"}
PAD = 1.5


def _status_of(seat):
    status = seat.get("status")
    return "mine" if seat.get("mine") and status == "held" else status


def _seat_markup(seat, zone, focus, selected):
    status = _status_of(seat)
    flags = seat.get("flags") or ()
    x, y = round(seat["x"] * UNIT - SEAT / 2, 1), round(seat["y"] * UNIT - SEAT / 2, 1)
    words = [seat["label"], zone["name"], *(str(FLAG[f]) for f in flags if f in FLAG)]
    if status:
        words.append(str(STATUS.get(status, status)))
    classes = f"seat st-{status or 'none'}" + (" nfs" if "not_for_sale" in flags else "") + (
        " selected" if selected else "")
    marks = "".join(f'<use href="#mk-{FLAG_MARK[f]}" x="{x}" y="{y}" width="{SEAT}" height="{SEAT}" class="mk"/>'
                    for f in flags if f in FLAG_MARK)
    if status in STATUS_MARK:
        marks += f'<use href="#mk-{STATUS_MARK[status]}" x="{x}" y="{y}" width="{SEAT}" height="{SEAT}" class="mk"/>'
    sid = escape(seat["sid"])
    return (f'<g id="seat-{sid}" class="{classes}" data-sid="{sid}" role="button" tabindex="{0 if focus else -1}"'
            f' aria-pressed="{"true" if selected or status == "mine" else "false"}">'
            f'<title>{escape(" · ".join(words))}</title>'
            f'<use href="#sh-{zone["shape"]}" x="{x}" y="{y}" width="{SEAT}" height="{SEAT}" class="sh"'
            f' fill="{zone["colour"]}"/>{marks}</g>')


def _tables(seats):
    groups = {}
    for seat in seats:
        if seat.get("table"):
            groups.setdefault(seat["table"], []).append(seat)
    out = []
    for label, members in groups.items():
        cx = sum(s["x"] for s in members) / len(members)
        cy = sum(s["y"] for s in members) / len(members)
        reach = max(((s["x"] - cx) ** 2 + (s["y"] - cy) ** 2) ** 0.5 for s in members)
        out.append({"label": label, "cx": round(cx * UNIT, 1), "cy": round(cy * UNIT, 1),
                    "r": round(max(reach - 0.55, 0.35) * UNIT, 1)})
    return out


def draw(seats, zones, stage=None, *, selected=None, legend=True):
    """Everything templates/seats/_map.html needs to draw these seats (zones: [{code, name, colour}])."""
    zone_of = {z["code"]: dict(z, shape=SHAPES[i % len(SHAPES)]) for i, z in enumerate(zones)}
    unknown = {"code": "?", "name": "?", "colour": "#999999", "shape": "circle"}
    stage = stage or {}
    points = [(s["x"], s["y"]) for s in seats] + ([(stage["x"], stage["y"]), (stage["x"] + stage["w"],
                                                   stage["y"] + stage["h"])] if stage.get("w") else [])
    xs, ys = [p[0] for p in points] or [0], [p[1] for p in points] or [0]
    left, top = (min(xs) - PAD) * UNIT, (min(ys) - PAD) * UNIT
    width, height = (max(xs) - min(xs) + 2 * PAD) * UNIT, (max(ys) - min(ys) + 2 * PAD) * UNIT
    focus = selected if any(s["sid"] == selected for s in seats) else (seats[0]["sid"] if seats else None)
    markup = "".join(_seat_markup(s, zone_of.get(s["zone"], unknown), s["sid"] == focus, s["sid"] == selected)
                     for s in seats)
    used_flags = {f for s in seats for f in (s.get("flags") or ())}
    statuses = [k for k in STATUS if any(_status_of(s) == k for s in seats)]
    return {"view_box": f"{left:.0f} {top:.0f} {width:.0f} {height:.0f}", "width": round(width),
            "height": round(height), "seats": Markup(markup), "tables": _tables(seats), "count": len(seats),
            "stage": {k: round(v * UNIT, 1) for k, v in stage.items() if k in "xywh"} | {
                "label": stage.get("label", "")} if stage.get("w") else None,
            "zones": list(zone_of.values()), "statuses": statuses, "status_labels": STATUS,
            "flags": [(f, FLAG[f], FLAG_MARK.get(f)) for f in FLAG if f in used_flags], "legend": legend}


def map_seats(seatmap_data):
    """A stored map's seats as drawable dicts (no status: the builder's view)."""
    return [dict(s, label=f"{s['table']} · {s['number']}" if s.get("table") else f"{s['row']}{s['number']}",
                 status=None, mine=False) for s in seatmap_data["seats"]]
