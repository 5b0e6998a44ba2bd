"""Seat geometry and labelling: blocks of rows × seats and round tables as plain seat dicts (no database)."""
import math
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

from . import ServiceError

# How seats are numbered along a row, as drawn (the stage at the top: the audience's left is the drawing's left).
NUMBERINGS = ("ltr", "rtl", "odd_even", "even_odd", "odd_ltr", "odd_rtl", "even_ltr", "even_rtl")
MAX_ROWS, MAX_PER_ROW, MAX_TABLE_SEATS, MAX_TABLES = 60, 120, 16, 200
ROW_GAP = 1.25  # a row is a bit deeper than a seat is wide


@dataclass
class Block:
    section: str
    zone: str
    rows: int
    per_row: int
    first_row: str = "A"  # a letter (A, B… Z, AA…) or a number
    skip_io: bool = True  # rows I and O look like 1 and 0
    numbering: str = "ltr"
    first_number: int = 1
    x: float = 0.0  # the block's top-left seat
    y: float = 0.0
    curve: float = 0.0  # how far the ends of each row bend towards the stage, in seat units
    stagger: float = 0.0  # every other row shifts right by this much (seats see between the heads ahead)


@dataclass
class Tables:
    section: str
    zone: str
    count: int
    seats: int = 4
    prefix: str = "Mesa"
    first_number: int = 1
    columns: int = 5
    x: float = 0.0
    y: float = 0.0


def code_of(text, size=3):
    """An ASCII code for ids: "Plateia" → "PLA", "Mesa 3" → "MESA3"."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", ascii_text).upper()[:size] or "S"


def section_code(section):
    """A section's code in seat ids: "Plateia" → "PLA", "Lateral Esquerda" → "LATE", "Balcão Nobre" → "BALN"."""
    words = (section or "").split()
    return (code_of(words[0] if words else "") + "".join(code_of(w, 1) for w in words[1:]))[:8]


def _letters(index):
    """0 → A … 25 → Z, 26 → AA (spreadsheet style)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _letter_index(text):
    value = 0
    for char in text:
        value = value * 26 + ord(char) - 64
    return value - 1


def row_labels(count, first="A", skip_io=True):
    """Row labels from `first`: letters (optionally without I and O) or numbers."""
    first = (first or "A").strip().upper()
    if first.isdigit():
        return [str(int(first) + i) for i in range(count)]
    if not re.fullmatch(r"[A-Z]{1,2}", first):
        raise ServiceError(_("The first row is a letter (A–Z) or a number."), "first_row")
    labels, index = [], _letter_index(first)
    while len(labels) < count:
        label = _letters(index)
        index += 1
        if not (skip_io and ("I" in label or "O" in label)):
            labels.append(label)
    return labels


def seat_numbers(count, numbering="ltr", first=1):
    """The seat numbers of one row, left to right as drawn."""
    if numbering in ("ltr", "rtl"):
        numbers = [first + i for i in range(count)]
        return numbers if numbering == "ltr" else numbers[::-1]
    if numbering in ("odd_even", "even_odd"):
        # Brazilian theatres: odd numbers on one side of the centre, even on the other, both rising outwards.
        left, right = count // 2, count - count // 2
        odd_start, even_start = _parity(first, 1), _parity(first, 0)
        odds = [odd_start + 2 * i for i in range(right if numbering == "odd_even" else left)]
        evens = [even_start + 2 * i for i in range(left if numbering == "odd_even" else right)]
        return evens[::-1] + odds if numbering == "odd_even" else odds[::-1] + evens
    parity, direction = numbering.split("_")
    start = _parity(first, 1 if parity == "odd" else 0)
    numbers = [start + 2 * i for i in range(count)]
    return numbers if direction == "ltr" else numbers[::-1]


def _parity(first, odd):
    return first if first % 2 == odd else first + 1


def _check_block(block):
    if block.numbering not in NUMBERINGS:
        raise ServiceError(_("Choose how the seats are numbered."), "numbering")
    if not 1 <= block.rows <= MAX_ROWS:
        raise ServiceError(_("From 1 to %(n)d rows.", n=MAX_ROWS), "rows")
    if not 1 <= block.per_row <= MAX_PER_ROW:
        raise ServiceError(_("From 1 to %(n)d seats per row.", n=MAX_PER_ROW), "per_row")
    if not 0 <= block.first_number <= 9999:
        raise ServiceError(_("The first seat number goes from 0 to 9999."), "first_number")
    if not (-50 <= block.curve <= 50 and -5 <= block.stagger <= 5):
        raise ServiceError(_("Curve from -50 to 50 and offset from -5 to 5 seats."), "curve")


def block_seats(block):
    """The seats of a block: sid "SEC-ROW-NUMBER", positions with the curve and stagger applied."""
    _check_block(block)
    prefix, rows = section_code(block.section), row_labels(block.rows, block.first_row, block.skip_io)
    middle = (block.per_row - 1) / 2 or 1
    seats = []
    for r, row in enumerate(rows):
        shift = block.stagger if r % 2 else 0.0
        for i, number in enumerate(seat_numbers(block.per_row, block.numbering, block.first_number)):
            bend = block.curve * ((i - (block.per_row - 1) / 2) / middle) ** 2
            seats.append({"sid": f"{prefix}-{row}-{number}", "section": block.section, "row": row,
                          "number": str(number), "table": None, "x": round(block.x + i + shift, 3),
                          "y": round(block.y + r * ROW_GAP - bend, 3), "zone": block.zone, "rank": 0, "flags": []})
    return seats


def table_seats(tables):
    """Round tables in a grid, seats around each, numbered clockwise from the top; sid "MESA-3-2"."""
    if not 1 <= tables.count <= MAX_TABLES:
        raise ServiceError(_("From 1 to %(n)d tables.", n=MAX_TABLES), "count")
    if not 1 <= tables.seats <= MAX_TABLE_SEATS:
        raise ServiceError(_("From 1 to %(n)d seats per table.", n=MAX_TABLE_SEATS), "seats")
    if not 1 <= tables.columns <= 50 or not 0 <= tables.first_number <= 9999:
        raise ServiceError(_("From 1 to 50 tables per row."), "columns")
    radius = max(1.0, tables.seats * 1.1 / (2 * math.pi))
    pitch = 2 * radius + 2
    prefix, seats = (tables.prefix or "").strip() or _("Table"), []
    for t in range(tables.count):
        number = tables.first_number + t
        label = f"{prefix} {number}"
        cx = tables.x + radius + (t % tables.columns) * pitch
        cy = tables.y + radius + (t // tables.columns) * pitch
        for k in range(tables.seats):
            angle = 2 * math.pi * k / tables.seats - math.pi / 2
            seats.append({"sid": f"{code_of(prefix, 8)}-{number}-{k + 1}", "section": tables.section, "row": label,
                          "number": str(k + 1), "table": label, "x": round(cx + radius * math.cos(angle), 3),
                          "y": round(cy + radius * math.sin(angle), 3), "zone": tables.zone, "rank": 0,
                          "flags": []})
    return seats


def default_ranks(seats, stage=None):
    """Rank every seat, 1 = best: front rows first, then the centre (of the stage, or of the seats)."""
    if not seats:
        return
    xs = [s["x"] for s in seats]
    centre = stage["x"] + stage["w"] / 2 if stage and stage.get("w") else (min(xs) + max(xs)) / 2
    front = stage["y"] + stage["h"] if stage and stage.get("h") else min(s["y"] for s in seats)
    # A row further back costs as much as two seats off-centre: the middle of row B beats the end of row A.
    order = sorted(seats, key=lambda s: ((s["y"] - front) * 1.6 + abs(s["x"] - centre) * 0.8, s["x"]))
    for rank, seat in enumerate(order, 1):
        seat["rank"] = rank


def stage_over(seats, label):
    """A stage across the top of the seats, two rows ahead of the first."""
    if not seats:
        return {}
    xs, ys = [s["x"] for s in seats], [s["y"] for s in seats]
    return {"x": round(min(xs) - 0.5, 3), "y": round(min(ys) - 3.5, 3), "w": round(max(xs) - min(xs) + 1, 3), "h": 1.5,
            "label": label, "auto": True}
