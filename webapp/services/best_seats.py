"""Best available: N adjacent seats in one row, best first by the map's rank, without leaving a lone seat.

Pure functions on seat dicts (no database): services/seats.py loads the zone's seats and calls `pick`.
"""
from collections import namedtuple
from itertools import groupby

AISLE = 1.5  # seats further apart than this (in seat widths) are not side by side: an aisle or a gap
NOT_AUTO = {"wheelchair", "companion", "not_for_sale"}  # kept for who needs them: chosen by hand, never picked

Pick = namedtuple("Pick", "seats adjacent orphans rank")  # rank: the sum of the seats' ranks


def _runs(seats):
    """Runs of free, pickable seats side by side: a row (or table) cut at aisles and at seats not free."""
    runs = []
    for _key, row in groupby(sorted(seats, key=_row_key), key=lambda s: (s.get("section"), s.get("table") or s.get("row"))):
        row = list(row)
        run, last = [], None
        for seat in row:
            beside = last is not None and (seat.get("table") or seat["x"] - last["x"] <= AISLE)
            if not beside or not _pickable(seat):
                if len(run):
                    runs.append(run)
                run = []
            if _pickable(seat):
                run.append(seat)
            last = seat
        if run:
            runs.append(run)
    return runs


def _row_key(seat):
    return (seat.get("section") or "", seat.get("table") or seat.get("row") or "", seat["x"], seat["y"])


def _pickable(seat):
    return seat.get("status", "free") == "free" and not NOT_AUTO.intersection(seat.get("flags") or ())


def _windows(run, size):
    """(orphans, rank sum, start) of each window of `size` seats in `run`: orphans = lone seats it would leave."""
    prefix = [0]
    for seat in run:
        prefix.append(prefix[-1] + seat.get("rank", 0))
    for start in range(len(run) - size + 1):
        orphans = (start == 1) + (len(run) - start - size == 1)
        yield orphans, prefix[start + size] - prefix[start], start


def _best_window(runs, size):
    """The best (orphans, rank, run index, start) of `size` adjacent seats over all runs, or None."""
    best = None
    for index, run in enumerate(runs):
        if len(run) < size:
            continue
        for orphans, rank, start in _windows(run, size):
            candidate = (orphans, rank, index, start)
            if best is None or candidate < best:
                best = candidate
    return best


def pick(seats, quantity):
    """The Pick of `quantity` places among `seats` (dicts with section, row, table, x, y, rank, and status and flags
    when seats that are not free are passed too: they cut the rows); None when fewer free pickable seats are left.
    Adjacent in one row when possible, else the fewest blocks, largest first."""
    runs = _runs(seats)
    if sum(len(run) for run in runs) < quantity:
        return None
    best = _best_window(runs, quantity)
    if best is not None:
        orphans, rank, index, start = best
        return Pick(runs[index][start:start + quantity], True, orphans, rank)
    picked, left = [], quantity
    while left:
        size = min(left, max(len(run) for run in runs))
        _orphans, _rank, index, start = _best_window(runs, size)
        run = runs[index]
        picked += run[start:start + size]
        runs[index:index + 1] = [part for part in (run[:start], run[start + size:]) if part]
        left -= size
    return Pick(picked, False, None, sum(seat.get("rank", 0) for seat in picked))
