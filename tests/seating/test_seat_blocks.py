"""Managers hold back seats of a show with a reason and release them; audited; sellers cannot."""
import pytest

from tests.seating.factories import seated_show
from tests.seating.test_seat_sales import sell_seats, status
from webapp.models import AuditEntry, ShowSeat
from webapp.services import ServiceError, seat_blocks, seats

HTMX = {"HX-Request": "true"}


def test_held_back_seats_are_refused_with_their_reason_and_released_once(ctx, make_user, seller):
    manager = make_user("manager")
    show = seated_show()
    assert seat_blocks.block(manager, show, ["A5", "A6"], "house", "Diretoria") == 2
    assert status(show, "A5", "A6") == ["blocked", "blocked"]
    with pytest.raises(seats.SeatTaken, match="Fila A · Lugar 5 está bloqueado: lugares da casa — Diretoria"):
        sell_seats(seller, show, ["A4", "A5"])
    assert status(show, "A4") == ["free"]
    assert "A5" not in [s["sid"] for s in seats.best_available(show.pk, "A", 10)["seats"]]
    seat_blocks.unblock(manager, show, ["A5", "A6"])
    assert status(show, "A5", "A6") == ["free", "free"]
    with pytest.raises(ServiceError, match="A5"):
        seat_blocks.unblock(manager, show, ["A5"])  # not held back any more
    entries = {e.action: e for e in AuditEntry.objects(event_id=show.pk, action__startswith="seats.")}
    assert entries["seats.block"].after["seats"] == ["A5", "A6"] and "Diretoria" in entries["seats.block"].reason
    assert entries["seats.unblock"].before["seats"] == ["A5", "A6"] and entries["seats.unblock"].username == manager.username


def test_blocking_is_all_or_nothing_and_names_the_seat_sold(ctx, make_user, seller):
    manager = make_user("manager")
    show = seated_show()
    sell_seats(seller, show, ["B2"])
    with pytest.raises(seats.SeatTaken, match="Fila B · Lugar 2 acabou de ser vendido"):
        seat_blocks.block(manager, show, ["B1", "B2", "B3"], "technical")
    assert status(show, "B1", "B2", "B3") == ["free", "sold", "free"]
    with pytest.raises(ServiceError):
        seat_blocks.block(seller, show, ["B1"], "house")  # a seller cannot
    with pytest.raises(ServiceError) as err:
        seat_blocks.block(manager, show, ["B1"], "other")  # "other" needs a note
    assert err.value.field == "note"
    with pytest.raises(ServiceError) as err:
        seat_blocks.block(manager, show, ["B1", "Q77"], "house")
    assert err.value.status == 404 and "Q77" in err.value.message
    assert ShowSeat.objects(event_id=show.pk, status="blocked").count() == 0


def test_manager_holds_back_and_releases_seats_on_the_show_page(app, client, logged_in):
    with app.test_request_context():
        show = seated_show()
    logged_in("manager")
    page = client.get(f"/events/{show.pk}")
    assert page.status_code == 200 and 'id="seat-blocks"' in page.text
    url = f"/events/{show.pk}/seats/blocks"
    response = client.post(url, data={"seats": "C1, C2", "reason": "technical", "action": "block"}, headers=HTMX)
    assert response.status_code == 200 and response.text.lstrip().startswith('<section id="seat-blocks"')
    assert "C1, C2" in response.text and "Lugares retidos." in response.text
    assert status(show, "C1", "C2") == ["blocked", "blocked"]
    bad = client.post(url, data={"seats": "C3 ZZ9", "reason": "house", "action": "block"}, headers=HTMX)
    assert bad.status_code == 400 and "ZZ9" in bad.text and status(show, "C3") == ["free"]
    empty = client.post(url, data={"seats": "", "reason": "house", "action": "block"})
    assert empty.status_code == 400
    released = client.post(url, data={"seats": "C1 C2", "action": "release"})
    assert released.status_code == 302 and status(show, "C1", "C2") == ["free", "free"]


def test_a_seller_cannot_hold_back_seats(app, client, logged_in):
    with app.test_request_context():
        show = seated_show()
    logged_in("seller")
    response = client.post(f"/events/{show.pk}/seats/blocks", data={"seats": "A1", "reason": "house",
                                                                      "action": "block"})
    assert response.status_code == 403 and status(show, "A1") == ["free"]
