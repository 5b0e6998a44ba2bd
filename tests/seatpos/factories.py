"""A small seated house for the seat surfaces: zone A rows A-C in front, zone B rows D-E behind, 10 seats a row."""
from tests.seating.factories import grid


def house():
    """The seats, best first: centre and front, the left of the centre before the right (no ties)."""
    back = grid(rows="DE", zone="B")
    for seat in back:
        seat.y += 4  # behind zone A (grid() starts every block at the front)
        seat.rank += 1000
    seats = grid(rows="ABC", zone="A") + back
    for seat in seats:
        seat.rank = seat.rank * 2 + (int(seat.number) > 5)
    return seats
