"""The door pages: choose show and gate, scan in one round trip, counters, undo; each refused to the wrong role."""
import pytest

from webapp.models import AuditEntry, Ticket, TicketSeat
from webapp.services import door

from .factories import sell_tickets

HX = {"HX-Request": "true"}


def start(client, show, gate="Porta A"):
    response = client.post("/door/", data={"event_id": str(show.pk), "gate": gate})
    assert response.status_code == 302 and response.headers["Location"] == f"/door/{show.pk}"
    return response


def test_door_staff_choose_a_show_and_gate_then_see_the_scanning_page(client, logged_in, show):
    logged_in("door")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/door/"' in home  # the nav shows the door to door staff
    page = client.get("/door/").get_data(as_text=True)
    assert "Noite de Samba" in page and "Porta" in page
    start(client, show, "  Porta   A ")
    page = client.get(f"/door/{show.pk}").get_data(as_text=True)
    assert 'id="scan-code"' in page and "autofocus" in page and "Porta A" in page
    assert "0</span> /" in page  # counters: 0 admitted


def test_choosing_without_a_gate_or_with_a_bad_show_is_a_clear_400(client, logged_in, show):
    logged_in("door")
    response = client.post("/door/", data={"event_id": str(show.pk), "gate": "  "})
    assert response.status_code == 400 and "Digite o nome desta porta" in response.get_data(as_text=True)
    response = client.post("/door/", data={"event_id": "not-an-id", "gate": "Porta A"})
    assert response.status_code == 400 and "Espetáculo não encontrado" in response.get_data(as_text=True)


def test_scanning_page_without_a_gate_sends_back_to_choose_one(client, logged_in, show):
    logged_in("door")
    response = client.get(f"/door/{show.pk}")
    assert response.status_code == 302 and response.headers["Location"] == "/door/"


def test_scan_answers_in_one_round_trip_with_result_and_counters(client, logged_in, show):
    logged_in("door")
    ticket, other = sell_tickets(show, 2, seats=["A1", "A2"])
    start(client, show)
    response = client.post(f"/door/{show.pk}/scan", data={"code": f" {ticket.code} "}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'data-outcome="admitted"' in html and "ADMITIDO" in html and "Fila A · Lugar 1" in html
    assert 'id="door-counts"' in html and 'hx-swap-oob="true"' in html
    assert '<span class="num" id="door-admitted">1</span>' in html and '<span class="num" id="door-sold">2</span>' in html

    again = client.post(f"/door/{show.pk}/scan", data={"code": ticket.code}, headers=HX).get_data(as_text=True)
    assert 'data-outcome="refused"' in again and "RECUSADO" in again and "Já utilizado em" in again
    assert "(porta: Porta A)" in again  # not "na Portão 2": a gate's name may be any gender
    assert "Desfazer entrada" not in again  # door staff cannot undo
    assert Ticket.objects(status="used").count() == 1


def test_scan_without_javascript_returns_the_whole_page(client, logged_in, show):
    logged_in("door")
    ticket, = sell_tickets(show)
    start(client, show)
    html = client.post(f"/door/{show.pk}/scan", data={"code": ticket.code}).get_data(as_text=True)
    assert "<html" in html and "ADMITIDO" in html and 'id="scan-code"' in html


def test_scan_refusals_say_why(client, logged_in, show, other_show):
    logged_in("door")
    void, = sell_tickets(show, status="void")
    elsewhere, = sell_tickets(other_show)
    start(client, show)

    def answer(code):
        return client.post(f"/door/{show.pk}/scan", data={"code": code}, headers=HX).get_data(as_text=True)

    assert "Cancelado na bilheteria" in answer(void.code)
    assert "Ingresso de outro espetáculo: Jazz no Salão" in answer(elsewhere.code)
    assert "Código desconhecido" in answer("XYZ")


def test_counters_fragment_polls(client, logged_in, show):
    logged_in("door")
    tickets = sell_tickets(show, 3)
    start(client, show, "Porta B")
    client.post(f"/door/{show.pk}/scan", data={"code": tickets[0].code})
    html = client.get(f"/door/{show.pk}/counts", headers=HX).get_data(as_text=True)
    assert html.startswith('<div id="door-counts"') and 'hx-trigger="every 4s"' in html
    assert 'id="door-admitted">1<' in html and 'id="door-sold">3<' in html and "Porta B: <span class=\"num\">1" in html


@pytest.mark.parametrize("url", ["/door/", "/door/{id}", "/door/{id}/counts"])
def test_door_pages_are_refused_to_sellers(client, logged_in, show, url):
    logged_in("seller")
    assert client.get(url.format(id=show.pk)).status_code == 403


def test_managers_may_scan_too(client, logged_in, show):
    logged_in("manager")
    ticket, = sell_tickets(show)
    start(client, show)
    html = client.post(f"/door/{show.pk}/scan", data={"code": ticket.code}, headers=HX).get_data(as_text=True)
    assert "ADMITIDO" in html


def test_manager_undoes_an_admission_from_the_refusal(client, logged_in, make_user, show, app):
    manager = logged_in("manager")
    ticket, = sell_tickets(show)
    start(client, show)
    client.post(f"/door/{show.pk}/scan", data={"code": ticket.code}, headers=HX)
    again = client.post(f"/door/{show.pk}/scan", data={"code": ticket.code}, headers=HX).get_data(as_text=True)
    assert "Desfazer entrada" in again  # a manager is offered the undo
    response = client.post(f"/door/{show.pk}/undo", data={"code": ticket.code, "reason": "leitura errada"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Entrada desfeita" in html and 'id="door-admitted">0<' in html
    assert Ticket.objects.get(pk=ticket.pk).status == "valid"
    entry, = AuditEntry.objects(action="ticket.admission_undo")
    assert entry.user_id == manager.pk and entry.reason == "leitura errada"


def test_undo_without_a_reason_is_a_400_and_changes_nothing(client, logged_in, show):
    logged_in("manager")
    ticket, = sell_tickets(show)
    start(client, show)
    client.post(f"/door/{show.pk}/scan", data={"code": ticket.code})
    response = client.post(f"/door/{show.pk}/undo", data={"code": ticket.code, "reason": ""}, headers=HX)
    assert response.status_code == 400 and "Diga por que" in response.get_data(as_text=True)
    assert Ticket.objects.get(pk=ticket.pk).status == "used"


def test_undo_needs_a_recent_sign_in(client, logged_in, show):
    logged_in("manager")
    ticket, = sell_tickets(show)
    start(client, show)
    client.post(f"/door/{show.pk}/scan", data={"code": ticket.code})
    with client.session_transaction() as sess:
        sess["_fresh"] = False  # as after a "remember me" restore: signed in, but not recently
    response = client.post(f"/door/{show.pk}/undo", data={"code": ticket.code, "reason": "x"}, headers=HX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/reauthenticate?next=/door/")
    assert Ticket.objects.get(pk=ticket.pk).status == "used"
    assert AuditEntry.objects(action="ticket.admission_undo").count() == 0


def test_undo_is_refused_to_door_staff(client, logged_in, show):
    logged_in("door")
    ticket, = sell_tickets(show)
    start(client, show)
    client.post(f"/door/{show.pk}/scan", data={"code": ticket.code})
    response = client.post(f"/door/{show.pk}/undo", data={"code": ticket.code, "reason": "x"})
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == "used"


def test_scanning_without_a_gate_is_refused_and_admits_nobody(client, logged_in, show):
    logged_in("door")
    ticket, = sell_tickets(show)
    response = client.post(f"/door/{show.pk}/scan", data={"code": ticket.code}, headers=HX)
    assert response.status_code == 400 and "Digite o nome desta porta" in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#flashes"
    assert Ticket.objects.get(pk=ticket.pk).status == "valid"


def test_a_cancelled_show_is_not_offered_cannot_be_chosen_and_its_open_page_refuses_every_ticket(
        client, logged_in, show, other_show):
    logged_in("door")
    ticket, = sell_tickets(show)
    start(client, show)  # the page was opened while the show was on sale
    other_show.update(set__status="cancelled")
    page = client.get("/door/").get_data(as_text=True)
    assert "Noite de Samba" in page and "Jazz no Salão" not in page
    response = client.post("/door/", data={"event_id": str(other_show.pk), "gate": "Porta A"})
    assert response.status_code == 400 and "Este espetáculo foi cancelado" in response.get_data(as_text=True)

    show.update(set__status="cancelled")
    assert "Este espetáculo foi cancelado" in client.get(f"/door/{show.pk}").get_data(as_text=True)
    html = client.post(f"/door/{show.pk}/scan", data={"code": ticket.code}, headers=HX).get_data(as_text=True)
    assert 'data-outcome="refused"' in html and "Este espetáculo foi cancelado" in html
    assert Ticket.objects(status="used").count() == 0


def test_a_seat_is_named_with_its_section_when_admitted_and_when_refused(client, logged_in, show):
    """Seat labels repeat across sections ("A1" in the Plateia and in the Balcão): the door names the section."""
    user = logged_in("door")
    ticket, = sell_tickets(show)
    ticket.update(set__seat=TicketSeat(sid="BAL-A1", label="A1", section="Balcão", row="A", number="1"))
    start(client, show)
    admitted = door.admit(ticket.code, show.pk, "Porta A", user)
    assert admitted.admitted and "Balcão" in admitted.message  # the API's message too
    again = client.post(f"/door/{show.pk}/scan", data={"code": ticket.code}, headers=HX).get_data(as_text=True)
    assert "RECUSADO" in again and "Balcão · Fila A · Lugar 1" in again
    assert "lugar A1" not in again.lower()  # the label alone is said nowhere
    Ticket.objects(pk=ticket.pk).update(set__status="valid")
    admitted = client.post(f"/door/{show.pk}/scan", data={"code": ticket.code}, headers=HX).get_data(as_text=True)
    assert "ADMITIDO" in admitted and "Balcão · Fila A · Lugar 1" in admitted and "lugar A1" not in admitted.lower()
