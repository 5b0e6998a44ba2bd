"""Demo seat maps: a numbered theatre (three sections, wheelchair places with companions) and a cabaret of tables."""
from . import seat_layout as layout
from . import seatmaps

THEATRE_ZONES = [{"code": "A", "name": "Plateia Premium", "colour": "#f4a261"},
                 {"code": "B", "name": "Plateia", "colour": "#8ecae6"},
                 {"code": "C", "name": "Plateia Lateral", "colour": "#b5e48c"}]
CABARET_ZONES = [{"code": "F", "name": "Mesas da frente", "colour": "#f4a261"},
                 {"code": "M", "name": "Mesas", "colour": "#8ecae6"}]
ROWS = layout.row_labels(20)  # A…V without I and O


def theatre():
    """About 20 rows × 30 seats: the centre numbered odd/even from its middle, the sides even (left) and odd
    (right) from the aisles, as Brazilian theatres number them; premium centre front, wheelchair places at the back."""
    seats, gap = [], layout.ROW_GAP
    parts = [  # section, zone, first row, rows, seats per row, x, numbering, first number
        ("Plateia Central", "A", "A", 8, 14, 9, "odd_even", 1),
        ("Plateia Central", "B", "J", 12, 14, 9, "odd_even", 1),
        ("Lateral Esquerda", "C", "A", 20, 8, 0, "even_rtl", 16),
        ("Lateral Direita", "C", "A", 20, 8, 24, "odd_ltr", 15),
    ]
    for section, zone, first, rows, per_row, x, numbering, number in parts:
        start = ROWS.index(first)
        seats += layout.block_seats(layout.Block(section=section, zone=zone, rows=rows, per_row=per_row,
                                                 first_row=first, numbering=numbering, first_number=number,
                                                 x=x, y=start * gap, curve=0.6 if x == 9 else 0))
    # Row V of the centre: two wheelchair spaces, each beside a companion seat (the aisle ends of the row).
    marks = {"PLAC-V-14": "wheelchair", "PLAC-V-12": "companion", "PLAC-V-13": "wheelchair", "PLAC-V-11": "companion"}
    for seat in seats:
        if seat["sid"] in marks:
            seat["flags"] = [marks[seat["sid"]]]
    layout.default_ranks(seats)
    return {"zones": THEATRE_ZONES, "seats": seats, "stage": {}}


def cabaret():
    """18 round tables of 4: the six nearest the stage are the front zone."""
    seats = layout.table_seats(layout.Tables(section="Salão", zone="F", count=6, seats=4, prefix="Mesa", columns=6))
    seats += layout.table_seats(layout.Tables(section="Salão", zone="M", count=12, seats=4, prefix="Mesa",
                                              first_number=7, columns=6, y=4.5))
    layout.default_ranks(seats)
    return {"zones": CABARET_ZONES, "seats": seats, "stage": {}}


def give_map(venue, data):
    """Save the demo map on a venue that has none yet."""
    if seatmaps.map_of(venue) is None:
        seatmaps.save(None, venue, data, 0)
