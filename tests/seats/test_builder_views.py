"""The seat map builder pages: admins build with HTMX forms, every action saves; others are refused."""
import io
import json

import pytest

from tests.factories import make_event, make_venue
from webapp import db
from webapp.models import SeatMap, Venue

HX = {"HX-Request": "true"}


def _zone(client, venue, version=0, **extra):
    data = {"zone-version": version, "zone-code": "A", "zone-name": "Plateia", "zone-colour": "#8ecae6"} | extra
    return client.post(f"/venues/{venue.pk}/seatmap/zones", data=data, headers=HX)


def _block(client, venue, version=1, **extra):
    data = {"block-version": version, "block-section": "Plateia", "block-zone": "A", "block-rows": "3",
            "block-per-row": "4", "block-first_row": "A", "block-skip_io": "y", "block-numbering": "odd_even",
            "block-first_number": "1", "block-x": "0", "block-y": "0", "block-curve": "0", "block-stagger": "0"}
    data = {k.replace("per-row", "per_row"): v for k, v in data.items()} | extra
    return client.post(f"/venues/{venue.pk}/seatmap/blocks", data=data, headers=HX)


def test_an_admin_builds_a_map_with_a_zone_a_block_and_tables(client, logged_in):
    logged_in("admin")
    venue = make_venue(name="Teatro Azul", capacity=50)
    page = client.get(f"/venues/{venue.pk}/seatmap").get_data(as_text=True)
    assert "Mapa de lugares" in page and "versão 0" in page
    assert _zone(client, venue).status_code == 200
    response = _block(client, venue)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.strip().startswith('<div id="seatmap-builder"') and "<html" not in body
    assert 'id="seat-PLA-A-1"' in body and "versão 2" in body and "12 lugares" in body
    assert "<title>A1 · Plateia" in body
    tables = {"tables-version": 2, "tables-section": "Salão", "tables-zone": "A", "tables-count": "2",
              "tables-seats": "4", "tables-prefix": "Mesa", "tables-first_number": "1", "tables-columns": "5",
              "tables-x": "0", "tables-y": "8"}
    body = client.post(f"/venues/{venue.pk}/seatmap/tables", data=tables, headers=HX).get_data(as_text=True)
    assert 'id="seat-MESA-2-4"' in body and "Mesa 2 · 4" in body
    assert Venue.objects.get(pk=venue.pk).capacity == 20


def test_selecting_and_editing_a_seat_saves_it(client, logged_in):
    logged_in("admin")
    venue = make_venue(name="Teatro Azul", capacity=50)
    _zone(client, venue), _block(client, venue)
    body = client.get(f"/venues/{venue.pk}/seatmap?seat=PLA-B-2", headers=HX).get_data(as_text=True)
    assert "Lugar B2" in body and 'aria-pressed="true"' in body
    data = {"seat-version": 2, "seat-section": "Plateia", "seat-row": "B", "seat-number": "2",
            "seat-zone": "A", "seat-flags": ["wheelchair"], "seat-x": "2.5", "seat-y": "1.25"}
    response = client.post(f"/venues/{venue.pk}/seatmap/seats/PLA-B-2", data=data, headers=HX)
    assert response.status_code == 200 and "Espaço para cadeira de rodas" in response.get_data(as_text=True)
    seat = next(s for s in SeatMap.objects.get(venue=venue).seats if s.sid == "PLA-B-2")
    assert seat.flags == ["wheelchair"] and seat.x == 2.5
    response = client.post(f"/venues/{venue.pk}/seatmap/seats/PLA-B-2/delete",
                           data={"remove-version": 3}, headers=HX)
    assert response.status_code == 200 and 'id="seat-PLA-B-2"' not in response.get_data(as_text=True)


def test_bad_input_is_shown_with_a_4xx_and_nothing_saved(client, logged_in):
    logged_in("admin")
    venue = make_venue(name="Teatro Azul", capacity=50)
    response = _block(client, venue, version=0)  # no zone yet
    assert response.status_code == 400 and "zona" in response.get_data(as_text=True)
    _zone(client, venue)
    response = _block(client, venue, **{"block-rows": "9999", "block-first_row": "@"})
    assert response.status_code == 400 and 'id="block-form"' in response.get_data(as_text=True)
    response = _block(client, venue, version=0)  # made from an old version of the map
    assert response.status_code == 409 and "versão 1" in response.get_data(as_text=True)
    assert SeatMap.objects.get(venue=venue).seats == []


@pytest.mark.parametrize("content, words", [
    (b"{oops", "JSON"),
    (json.dumps({"zones": [], "seats": [{"sid": "X", "number": "1", "x": 0, "y": 0, "zone": "Q"}]}).encode(),
     "seats[0].zone"),
    (b"\xff\xfe" * 10, "JSON"),
])
def test_an_uploaded_bad_file_lists_its_problems(client, logged_in, content, words):
    logged_in("admin")
    venue = make_venue(name="Teatro Azul", capacity=50)
    response = client.post(f"/venues/{venue.pk}/seatmap/import", headers=HX, content_type="multipart/form-data",
                           data={"import-version": "0", "import-file": (io.BytesIO(content), "map.json")})
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert SeatMap.objects(venue=venue).count() == 0


def test_export_downloads_json_that_imports_into_another_venue(client, logged_in):
    logged_in("admin")
    venue, other = make_venue(name="Teatro Azul", capacity=50), make_venue(name="Teatro Verde", capacity=5)
    _zone(client, venue), _block(client, venue)
    response = client.get(f"/venues/{venue.pk}/seatmap.json")
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    client.post(f"/venues/{other.pk}/seatmap/import", headers=HX, content_type="multipart/form-data",
                data={"import-version": "0", "import-file": (io.BytesIO(response.data), "map.json")})
    assert len(SeatMap.objects.get(venue=other).seats) == 12 and Venue.objects.get(pk=other.pk).capacity == 12


def test_removing_a_sold_seat_is_refused_in_the_page(client, logged_in):
    logged_in("admin")
    venue = make_venue(name="Teatro Azul", capacity=50)
    _zone(client, venue), _block(client, venue)
    event = make_event(venue, tiers=())
    db.database()["show_seats"].update_one({"event_id": event.pk, "sid": "PLA-A-1"},
                                           {"$set": {"zone": "A", "status": "sold"}}, upsert=True)
    response = client.post(f"/venues/{venue.pk}/seatmap/seats/PLA-A-1/delete", data={"remove-version": 2},
                           headers=HX)
    assert response.status_code == 409 and "PLA-A-1" in response.get_data(as_text=True)
    assert len(SeatMap.objects.get(venue=venue).seats) == 12


@pytest.mark.parametrize("role", ["seller", "manager", "door"])
def test_the_builder_is_for_admins_only(client, logged_in, role):
    venue = make_venue(name="Teatro Azul", capacity=50)
    logged_in(role)
    assert client.get(f"/venues/{venue.pk}/seatmap").status_code == 403
    assert _zone(client, venue).status_code == 403
    assert SeatMap.objects(venue=venue).count() == 0


def test_an_unknown_venue_is_a_404(client, logged_in):
    logged_in("admin")
    assert client.get("/venues/nope/seatmap").status_code == 404
    assert client.get("/venues/000000000000000000000000/seatmap.json").status_code == 404
