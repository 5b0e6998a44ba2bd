"""The seat map service: labelling rules, tables, JSON round trip, bad JSON, sold seats kept, capacity."""
import json

import pytest

from tests.factories import make_event, make_venue
from webapp import db
from webapp.models import AuditEntry, SeatMap, Venue
from webapp.services import Conflict, ServiceError
from webapp.services import seat_layout as layout
from webapp.services import seatmaps

ZONE = {"code": "A", "name": "Plateia", "colour": "#8ecae6"}


def _row(seats, row):
    return [s["number"] for s in sorted((s for s in seats if s["row"] == row), key=lambda s: s["x"])]


def test_seat_numbers_follow_the_chosen_rule_left_to_right_as_drawn():
    block = layout.Block(section="Plateia", zone="A", rows=1, per_row=7)
    assert _row(layout.block_seats(block), "A") == ["1", "2", "3", "4", "5", "6", "7"]
    block.numbering = "rtl"
    assert _row(layout.block_seats(block), "A") == ["7", "6", "5", "4", "3", "2", "1"]
    block.numbering = "odd_even"  # Brazilian theatres: even on the left, odd on the right, rising from the centre
    assert _row(layout.block_seats(block), "A") == ["6", "4", "2", "1", "3", "5", "7"]
    block.numbering, block.per_row = "even_odd", 6
    assert _row(layout.block_seats(block), "A") == ["5", "3", "1", "2", "4", "6"]
    block.numbering, block.first_number = "odd_rtl", 101  # a side section with odd numbers only
    assert _row(layout.block_seats(block), "A") == ["111", "109", "107", "105", "103", "101"]
    block.numbering = "even_ltr"
    assert _row(layout.block_seats(block), "A") == ["102", "104", "106", "108", "110", "112"]


def test_row_letters_skip_i_and_o_unless_asked_and_may_start_anywhere():
    assert layout.row_labels(10) == ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K"]
    assert layout.row_labels(3, "H", skip_io=False) == ["H", "I", "J"]
    assert layout.row_labels(16, "A")[-4:] == ["N", "P", "Q", "R"]  # O skipped too
    assert layout.row_labels(3, "Y") == ["Y", "Z", "AA"]
    assert layout.row_labels(3, "10") == ["10", "11", "12"]
    with pytest.raises(ServiceError) as err:
        layout.row_labels(3, "@")
    assert err.value.field == "first_row"


def test_a_block_has_stable_ids_curve_and_stagger():
    seats = layout.block_seats(layout.Block(section="Balcão", zone="B", rows=2, per_row=5, curve=2, stagger=0.5))
    by_sid = {s["sid"]: s for s in seats}
    assert "BAL-A-1" in by_sid and "BAL-B-5" in by_sid and len(seats) == 10
    assert by_sid["BAL-A-1"]["y"] < by_sid["BAL-A-3"]["y"]  # the ends bend towards the stage
    assert by_sid["BAL-B-1"]["x"] == by_sid["BAL-A-1"]["x"] + 0.5  # every other row shifted half a seat


def test_tables_seat_n_around_each_numbered_from_one():
    seats = layout.table_seats(layout.Tables(section="Salão", zone="A", count=3, seats=4, prefix="Mesa"))
    assert len(seats) == 12 and {s["table"] for s in seats} == {"Mesa 1", "Mesa 2", "Mesa 3"}
    assert [s["sid"] for s in seats[:4]] == ["MESA-1-1", "MESA-1-2", "MESA-1-3", "MESA-1-4"]
    first = seats[:4]
    cx, cy = sum(s["x"] for s in first) / 4, sum(s["y"] for s in first) / 4
    assert {round((s["x"] - cx) ** 2 + (s["y"] - cy) ** 2, 3) for s in first} == {1.0}  # a ring


def _built(ctx_user=None):
    venue = make_venue(name="Teatro Azul", capacity=50)
    seatmaps.add_zone(ctx_user, venue, 0, **ZONE)
    seatmaps.add_block(ctx_user, venue, 1, layout.Block(section="Plateia", zone="A", rows=3, per_row=5))
    return venue


def test_ranks_put_the_centre_of_the_front_row_first_and_capacity_follows_the_map(ctx):
    venue = _built()
    seatmap = seatmaps.map_of(venue)
    best = min(seatmap.seats, key=lambda s: s.rank)
    assert best.label == "A3" and seatmap.version == 2
    assert Venue.objects.get(pk=venue.pk).capacity == 15 and Venue.objects.get(pk=venue.pk).kind == "reserved"
    seatmaps.edit_seat(None, venue, 2, "PLA-A-1", flags=["not_for_sale"])
    assert Venue.objects.get(pk=venue.pk).capacity == 14 == seatmaps.sellable_count(seatmaps.map_of(venue))
    assert AuditEntry.objects(action="seatmap.save", target_id=str(venue.pk)).count() == 3


def test_a_save_on_an_old_version_is_refused_and_changes_nothing(ctx):
    venue = _built()
    with pytest.raises(Conflict, match="versão 2"):
        seatmaps.delete_seat(None, venue, 1, "PLA-A-1")
    assert len(seatmaps.map_of(venue).seats) == 15


def test_json_round_trip_gives_the_same_map(ctx):
    venue = _built()
    seatmaps.edit_seat(None, venue, 2, "PLA-B-2", flags=["wheelchair"], number="2A")
    text = seatmaps.export_json(venue)
    other = make_venue(name="Cópia", capacity=10)
    seatmaps.import_json(None, other, 0, text.encode("utf-8-sig"))  # with the BOM some editors write
    mine, theirs = seatmaps.as_data(seatmaps.map_of(venue)), seatmaps.as_data(seatmaps.map_of(other))
    assert theirs["seats"] == mine["seats"] and theirs["zones"] == mine["zones"]
    assert next(s for s in theirs["seats"] if s["sid"] == "PLA-B-2")["flags"] == ["wheelchair"]


@pytest.mark.parametrize("text, field, words", [
    (b"{not json", "file", "JSON"),
    (b"[1, 2]", "map", "objeto"),
    (json.dumps({"zones": [ZONE], "seats": [{"sid": "A-1", "number": "1", "x": 0, "y": 0, "zone": "Z"}]}).encode(),
     "seats[0].zone", "Z"),
    (json.dumps({"zones": [ZONE | {"colour": "blue"}], "seats": []}).encode(), "zones[0].colour", "#RRGGBB"),
    (json.dumps({"zones": [ZONE], "seats": [{"sid": "A-1", "number": "1", "x": "far", "y": 0, "zone": "A"},
                                            {"sid": "A-1", "number": "2", "x": 1, "y": 0, "zone": "A",
                                             "flags": ["vip"]}]}).encode(), "seats[0].x", "número"),
])
def test_bad_json_is_refused_with_the_field_and_nothing_is_saved(ctx, text, field, words):
    venue = make_venue(name="Teatro Vazio", capacity=10)
    with pytest.raises(seatmaps.MapInvalid) as err:
        seatmaps.import_json(None, venue, 0, text)
    found = {e["field"]: e["message"] for e in err.value.errors}
    assert field in found and words in found[field]
    assert SeatMap.objects(venue=venue).count() == 0 and Venue.objects.get(pk=venue.pk).capacity == 10


def test_duplicates_and_unknown_flags_are_each_named(ctx):
    venue = make_venue(name="Teatro Vazio", capacity=10)
    seats = [{"sid": "A-1", "number": "1", "x": 0, "y": 0, "zone": "A"},
             {"sid": "A-1", "number": "2", "x": 1, "y": 0, "zone": "A", "flags": ["vip"]}]
    with pytest.raises(seatmaps.MapInvalid) as err:
        seatmaps.import_json(None, venue, 0, json.dumps({"zones": [ZONE], "seats": seats}))
    assert {"seats[1].sid", "seats[1].flags"} <= {e["field"] for e in err.value.errors}


def _sell_seat(event, sid, zone="A"):
    # The show's seat as the seating service stores it (its model is not ours): sold.
    db.database()["show_seats"].update_one({"event_id": event.pk, "sid": sid},
                                           {"$set": {"zone": zone, "status": "sold"}}, upsert=True)


def test_a_seat_sold_for_a_show_cannot_be_dropped_or_rezoned(ctx):
    venue = _built()
    event = make_event(venue, tiers=())
    _sell_seat(event, "PLA-A-3")
    with pytest.raises(Conflict, match="PLA-A-3"):
        seatmaps.delete_seat(None, venue, 2, "PLA-A-3")
    seatmaps.add_zone(None, venue, 2, code="B", name="Fundos", colour="#ffb703")
    with pytest.raises(Conflict, match="PLA-A-3"):
        seatmaps.edit_seat(None, venue, 3, "PLA-A-3", zone="B")
    data = seatmaps.as_data(seatmaps.map_of(venue))
    data["seats"] = [s for s in data["seats"] if s["row"] != "A"]
    with pytest.raises(Conflict, match="PLA-A-3"):
        seatmaps.import_json(None, venue, 3, json.dumps(data))
    assert "PLA-A-3" in {s.sid for s in seatmaps.map_of(venue).seats} and seatmaps.map_of(venue).version == 3
    seatmaps.delete_seat(None, venue, 3, "PLA-A-4")  # an unsold seat still goes
    assert len(seatmaps.map_of(venue).seats) == 14


def test_adding_a_block_over_existing_seats_names_the_clash(ctx):
    venue = _built()
    with pytest.raises(ServiceError, match="PLA-A-1") as err:
        seatmaps.add_block(None, venue, 2, layout.Block(section="Plateia", zone="A", rows=1, per_row=2))
    assert err.value.field == "section"


def test_a_seated_venue_keeps_its_map_capacity_and_a_table_seat_moves_table_with_its_row(ctx):
    from webapp.services import venues as venue_service

    venue = _built()
    with pytest.raises(ServiceError, match="15") as err:
        venue_service.update_venue(None, venue, name=venue.name, capacity=500, kind="reserved",
                                   timezone=venue.timezone)
    assert err.value.field == "capacity" and Venue.objects.get(pk=venue.pk).capacity == 15
    venue_service.update_venue(None, venue, name="Teatro Azul Novo", capacity=15, kind="reserved",
                               timezone=venue.timezone)
    seatmaps.add_tables(None, venue, 2, layout.Tables(section="Salão", zone="A", count=1, y=6))
    seatmaps.edit_seat(None, venue, 3, "MESA-1-2", row="Mesa 9")
    seat = next(s for s in seatmaps.map_of(venue).seats if s.sid == "MESA-1-2")
    assert seat.label == "Mesa 9 · 2"
