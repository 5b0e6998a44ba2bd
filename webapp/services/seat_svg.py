"""Draw seats as one inline SVG (builder, POS, dashboard): shape per zone, mark per status, legend, no inline style.

Seats are dicts {sid, label, x, y, zone, flags, status, mine}; status is None in the builder. Each (zone, status)
pair is drawn once in <defs> (the zone's shape and colour, greyed and marked for a taken seat) and every seat is
a <use> of it: a 2,500-seat map stays small and is built as one string, not a template loop, within 100 ms.
"""
from markupsafe import Markup, escape

from flask_babel import lazy_gettext as _l

UNIT = 24  # pixels per seat unit
# Zone n gets shape n, so zones differ by shape as well as colour (centred on 0, a seat is 20 px wide).
SHAPES = ('<circle r="9"/>', '<rect x="-8.5" y="-8.5" width="17" height="17" rx="2"/>',
          '<path d="M0 -9.5 9.5 0 0 9.5 -9.5 0Z"/>', '<path d="M0 -9 9.5 8.5H-9.5Z"/>',
          '<path d="M-5 -8.5H5L9.5 0 5 8.5H-5L-9.5 0Z"/>')
# A status other than free greys the seat (or darkens it: mine) and adds a mark, so it never rests on colour.
STATUS_LOOK = {"free": (None, None), "held": ("#c9ced6", "held"), "mine": ("#0b3d91", "mine"),
               "sold": ("#4a5058", "sold"), "blocked": ("#8e959e", "blocked")}
MARKS = {
    "sold": '<path d="M-5 -5 5 5M5 -5 -5 5" stroke="{c}" stroke-width="2.6" fill="none"/>',
    "held": '<circle r="5" stroke="{c}" stroke-width="2" fill="none"/><path d="M0 -3v3.5h2.5" stroke="{c}" '
            'stroke-width="1.6" fill="none"/>',
    "mine": '<path d="M-5.5 .5-1.5 4.5 5.5-4.5" stroke="{c}" stroke-width="2.8" fill="none"/>',
    "blocked": '<path d="M-6 0H6" stroke="{c}" stroke-width="3"/>',
    "wc": '<circle cx="-1" cy="-5.5" r="1.8" fill="{c}" stroke="none"/><path d="M-1-3v5h4.5l1.5 4M-3-.5a4.5 4.5 0 1 0 '
          '6.5 5" stroke="{c}" stroke-width="1.7" fill="none"/>',
    "comp": '<circle r="3" fill="{c}" stroke="none"/>',
    "rv": '<path d="M0-6v7" stroke="{c}" stroke-width="2.4"/><circle cy="5" r="1.5" fill="{c}" stroke="none"/>',
}
DARK = {"mine", "sold", "blocked"}  # statuses drawn dark: their marks are white
STATUS = {"free": _l("Free"), "mine": _l("Selected by you"), "held": _l("Held by another window"),
          "sold": _l("Sold seat"), "blocked": _l("Blocked")}
# A map no seller picks on (the dashboard's) names no seat "yours": every hold is some counter's.
WATCHED = {k: v for k, v in STATUS.items() if k != "mine"} | {"held": _l("Held at a counter")}
FLAG = {"wheelchair": _l("Wheelchair space"), "companion": _l("Companion seat"),
        "restricted_view": _l("Restricted view"), "not_for_sale": _l("Not for sale")}
FLAG_MARK = {"wheelchair": "wc", "companion": "comp", "restricted_view": "rv"}
PAD = 1.5


def _status_of(seat):
    status = seat.get("status")
    return "mine" if seat.get("mine") and status == "held" else status


def _look(index, zone, status):
    """One (zone, status) drawing for <defs>: the zone's shape in its colour or the status's, and its mark."""
    fill, mark = STATUS_LOOK[status]
    shape = SHAPES[index % len(SHAPES)].replace("/>", f' fill="{fill or zone["colour"]}"/>', 1)
    ink = "#ffffff" if status in DARK else "#111111"
    return f'<g id="z{index}-{status}" class="sh">{shape}{MARKS[mark].format(c=ink) if mark else ""}</g>'


def _legend_look(status):
    fill, mark = STATUS_LOOK[status]
    ink = "#ffffff" if status in DARK else "#111111"
    return (f'<g id="lg-{status}" class="sh"><circle r="9" fill="{fill or "#ffffff"}"/>'
            f'{MARKS[mark].format(c=ink) if mark else ""}</g>')


def _flag_marks():
    return "".join(f'<g id="mk-{m}{suffix}">{MARKS[m].format(c=ink)}</g>'
                   for m in FLAG_MARK.values() for suffix, ink in (("", "#111111"), ("-l", "#ffffff")))


def _seat_markup(seat, zone, index, focus, selected, names):
    status = _status_of(seat)
    flags = seat.get("flags") or ()
    x, y = round(seat["x"] * UNIT, 1), round(seat["y"] * UNIT, 1)
    # The section too: a label ("A1") may repeat in another section of the same zone.
    section = seat.get("section") if seat.get("section") != zone["name"] else None
    words = [seat["label"], *filter(None, [section]), zone["name"],
             *(names[f] for f in flags if f in names)]
    if status:
        words.append(names.get(status, status))
    classes = f"seat st-{status or 'none'}" + (" nfs" if "not_for_sale" in flags else "") + (
        " selected" if selected else "")
    light = "-l" if status in DARK else ""
    marks = "".join(f'<use href="#mk-{FLAG_MARK[f]}{light}" x="{x}" y="{y}"/>' for f in flags if f in FLAG_MARK)
    sid = escape(seat["sid"])
    pressed = ' aria-pressed="true"' if selected or status == "mine" else ""
    return (f'<g id="seat-{sid}" class="{classes}" data-sid="{sid}" role="button" tabindex="{0 if focus else -1}"'
            f'{pressed}><title>{escape(" · ".join(words))}</title>'
            f'<use href="#z{index}-{status if status in STATUS_LOOK else "free"}" x="{x}" y="{y}"/>{marks}</g>')


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


def _rows(seats):
    """Each row's label at both ends of the row (across its sections), where people look for it."""
    ends = {}
    for seat in seats:
        if not seat.get("table") and seat.get("row"):
            left, right, ys = ends.setdefault(seat["row"], [seat["x"], seat["x"], []])
            ends[seat["row"]][:2] = [min(left, seat["x"]), max(right, seat["x"])]
            ys.append(seat["y"])
    return [{"label": row, "left": round((left - 0.7) * UNIT, 1), "right": round((right + 0.7) * UNIT, 1),
             "y": round(max(ys) * UNIT, 1)} for row, (left, right, ys) in ends.items()]


def draw(seats, zones, stage=None, *, selected=None, legend=True, picking=True):
    """Everything templates/seats/_map.html needs to draw these seats (zones: [{code, name, colour}])."""
    zones = [*zones, {"code": None, "name": "?", "colour": "#999999"}]  # the last draws a seat of no known zone
    index_of = {z["code"]: i for i, z in enumerate(zones)}
    stage = stage or {}
    points = [(s["x"], s["y"]) for s in seats] + ([(stage["x"], stage["y"]), (stage["x"] + stage["w"],
                                                   stage["y"] + stage["h"])] if stage.get("w") else [])
    xs, ys = [p[0] for p in points] or [0], [p[1] for p in points] or [0]
    left, top = (min(xs) - PAD - 0.6) * UNIT, (min(ys) - PAD) * UNIT
    width, height = (max(xs) - min(xs) + 2 * PAD + 1.2) * UNIT, (max(ys) - min(ys) + 2 * PAD) * UNIT
    focus = selected if any(s["sid"] == selected for s in seats) else (seats[0]["sid"] if seats else None)
    markup, looks = [], {(i, "free") for i in range(len(zones) - 1)}
    labels = STATUS if picking else WATCHED
    names = {k: str(v) for k, v in (labels | FLAG).items()}  # translated once, not once per seat
    for seat in seats:
        index, status = index_of.get(seat["zone"], len(zones) - 1), _status_of(seat)
        looks.add((index, status if status in STATUS_LOOK else "free"))
        markup.append(_seat_markup(seat, zones[index], index, seat["sid"] == focus, seat["sid"] == selected,
                                   names))
    # A live map (statuses) draws every (zone, status) look and names every status in its legend: a seat redrawn
    # later by a partial refresh (only its <g>) finds its look, and the legend does not change under the seller.
    live = any(s.get("status") for s in seats)
    if live:
        looks |= {(i, status) for i in range(len(zones)) for status in STATUS_LOOK}
    statuses = list(labels) if live else []
    defs = "".join(_look(i, zones[i], status) for i, status in sorted(looks))
    defs += _flag_marks() + "".join(_legend_look(status) for status in statuses)
    used_flags = {f for s in seats for f in (s.get("flags") or ())}
    return {"view_box": f"{left:.0f} {top:.0f} {width:.0f} {height:.0f}", "width": round(width),
            "height": round(height), "seats": Markup("".join(markup)), "defs": Markup(defs), "count": len(seats),
            "tables": _tables(seats), "rows": _rows(seats), "stage": _stage(stage),
            "zones": [dict(z, look=f"z{i}-free") for i, z in enumerate(zones[:-1])], "statuses": statuses,
            "status_labels": labels, "legend": legend,
            "flags": [(f, FLAG[f], FLAG_MARK.get(f)) for f in FLAG if f in used_flags]}


def _stage(stage):
    if not stage.get("w"):
        return None
    return {k: round(stage[k] * UNIT, 1) for k in "xywh"} | {
        "label": stage.get("label", "")}


def map_seats(seatmap_data):
    """A stored map's seats as drawable dicts (no status: the builder's view)."""
    return [dict(s, label=f"{s['table']} · {s['number']}" if s.get("table") else f"{s['row']}{s['number']}",
                 status=None, mine=False) for s in seatmap_data["seats"]]
