"""The show page's hold-back form on a map whose seat ids are not their labels (the demo's PLAC-A-5 is "A5"):
the hint gives this show's own ids to type, and the seats held back show their ids beside their labels."""
from tests.seating.factories import grid, seated_show

HTMX = {"HX-Request": "true"}


def _sectioned():
    seats = grid(rows="AB", per_row=4, section="Plateia Central")
    for seat in seats:
        seat.sid = f"PLAC-{seat.row}-{seat.number}"
    return seats


def test_the_hint_names_this_shows_seat_ids_and_held_seats_show_theirs(app, client, logged_in):
    logged_in("manager")
    show = seated_show(seats=_sectioned())
    page = client.get(f"/events/{show.pk}").get_data(as_text=True)
    assert "como no mapa da sala, separados por espaços, por exemplo PLAC-A-3 PLAC-A-2 PLAC-A-1." in page  # best first
    assert "A1 A2 B5" not in page
    url = f"/events/{show.pk}/seats/blocks"
    done = client.post(url, data={"seats": "PLAC-B-1", "reason": "house", "action": "block"}, headers=HTMX)
    assert done.status_code == 200 and "(PLAC-B-1)" in done.get_data(as_text=True)
