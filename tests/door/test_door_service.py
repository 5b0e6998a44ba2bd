"""The door's rules, on the real database: one admission per ticket, every refusal says why."""
import threading

import pytest

from webapp.models import AuditEntry, Ticket
from webapp.services import Conflict, NotFound, ServiceError
from webapp.services.door import Forbidden, admit, door_counts, undo_admission

from .factories import sell_tickets, with_older_code


@pytest.fixture
def door_user(make_user):
    return make_user("door", username="rita")


def test_valid_ticket_is_admitted_once_and_the_second_scan_says_when_where_and_who(ctx, show, door_user, make_user):
    ticket, = sell_tickets(show, seats=["F12"])
    first = admit(ticket.code, show.pk, "Porta A", door_user)
    assert first.admitted and first.reason == "admitted"
    assert "Inteira" in first.message and "Fila F · Lugar 12" in first.message
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.gate, stored.used_by, stored.used_by_name) == ("used", "Porta A", door_user.pk,
                                                                                 door_user.name)
    local = stored.used_at.astimezone(__import__("zoneinfo").ZoneInfo("America/Sao_Paulo"))

    second = admit(ticket.code, show.pk, "Porta B", make_user("door"))
    assert not second.admitted and second.reason == "used"
    assert "Porta A" in second.message and door_user.name in second.message
    assert local.strftime("%H:%M:%S") in second.message  # the venue's wall clock, not UTC
    assert Ticket.objects.get(pk=ticket.pk).gate == "Porta A"  # the refusal changed nothing


def test_codes_typed_by_hand_are_trimmed(ctx, show, door_user):
    ticket, = sell_tickets(show)
    assert admit(f"  {ticket.code}\t\n", show.pk, "  Porta   A ", door_user).admitted
    assert Ticket.objects.get(pk=ticket.pk).gate == "Porta A"


def test_older_codes_are_case_sensitive_as_printed(ctx, show, door_user):
    ticket = with_older_code(sell_tickets(show)[0])
    wrong_case = ticket.code.swapcase()
    assert wrong_case != ticket.code
    assert admit(wrong_case, show.pk, "Porta A", door_user).reason == "unknown"
    assert Ticket.objects.get(pk=ticket.pk).status == "valid"


def test_void_ticket_is_refused(ctx, show, door_user):
    ticket, = sell_tickets(show, status="void")
    result = admit(ticket.code, show.pk, "Porta A", door_user)
    assert not result.admitted and result.reason == "void" and "Cancelado na bilheteria" in result.message
    assert Ticket.objects.get(pk=ticket.pk).status == "void"


def test_ticket_of_another_show_is_refused_naming_that_show_and_date(ctx, show, other_show, door_user):
    ticket, = sell_tickets(other_show)
    result = admit(ticket.code, show.pk, "Porta A", door_user)
    assert not result.admitted and result.reason == "other_show"
    assert "Jazz no Salão" in result.message
    day = other_show.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("America/Sao_Paulo"))
    assert day.strftime("%d/%m/%Y") in result.message
    assert Ticket.objects.get(pk=ticket.pk).status == "valid"  # still good for its own show


@pytest.mark.parametrize("code", ["no-such-code", "", "   ", "x" * 5000, "{'$ne': 1}"])
def test_unknown_or_garbage_codes_are_refused(ctx, show, door_user, code):
    sell_tickets(show)
    result = admit(code, show.pk, "Porta A", door_user)
    assert not result.admitted and result.reason == "unknown" and "Código desconhecido" in result.message
    assert Ticket.objects(status="used").count() == 0


def test_gate_is_required_and_short(ctx, show, door_user):
    ticket, = sell_tickets(show)
    for gate in ("", "   ", "G" * 41):
        with pytest.raises(ServiceError):
            admit(ticket.code, show.pk, gate, door_user)
    assert Ticket.objects.get(pk=ticket.pk).status == "valid"


def test_unknown_show_is_not_found(ctx, door_user):
    for event_id in ("nope", "0" * 24):
        with pytest.raises(NotFound):
            admit("abc", event_id, "Porta A", door_user)


def test_two_gates_scanning_the_same_ticket_at_the_same_moment_admit_it_once(app, show, make_user):
    ticket, = sell_tickets(show)
    staff = [make_user("door") for _ in range(8)]
    barrier, results = threading.Barrier(len(staff)), []

    def scan(user, gate):
        with app.test_request_context():
            barrier.wait()
            results.append(admit(ticket.code, show.pk, gate, user))

    threads = [threading.Thread(target=scan, args=(user, f"Porta {i}")) for i, user in enumerate(staff)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    admitted = [r for r in results if r.admitted]
    assert len(results) == 8 and len(admitted) == 1
    assert {r.reason for r in results if not r.admitted} == {"used"}
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.gate == admitted[0].ticket.gate and stored.status == "used"


def test_counts_sold_and_admitted_per_gate(ctx, show, other_show, door_user):
    tickets = sell_tickets(show, 5)
    sell_tickets(show, 2, status="void")
    sell_tickets(other_show, 3)
    admit(tickets[0].code, show.pk, "Porta A", door_user)
    admit(tickets[1].code, show.pk, "Porta A", door_user)
    admit(tickets[2].code, show.pk, "Porta B", door_user)
    admit(tickets[2].code, show.pk, "Porta B", door_user)  # refused: counted once
    assert door_counts(show.pk) == {"sold": 5, "admitted": 3, "gates": [("Porta A", 2), ("Porta B", 1)]}
    assert door_counts(other_show.pk) == {"sold": 3, "admitted": 0, "gates": []}


def test_manager_undoes_an_admission_with_a_reason_and_it_is_audited(ctx, show, door_user, make_user):
    manager = make_user("manager")
    ticket, = sell_tickets(show)
    admit(ticket.code, show.pk, "Porta A", door_user)
    undo_admission(ticket.code, show.pk, manager, "  Escaneou o ingresso errado ")
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.status == "valid" and stored.used_at is None and stored.gate is None
    entry, = AuditEntry.objects(action="ticket.admission_undo")
    assert (entry.user_id, entry.reason, entry.order_number) == (manager.pk, "Escaneou o ingresso errado",
                                                                 ticket.order_number)
    assert entry.before["gate"] == "Porta A" and entry.after == {"status": "valid"} and entry.event_id == show.pk
    assert admit(ticket.code, show.pk, "Porta B", door_user).admitted  # it can come in again


def test_undo_needs_a_manager_a_reason_and_an_admitted_ticket(ctx, show, door_user, make_user):
    manager = make_user("manager")
    ticket, = sell_tickets(show)
    admit(ticket.code, show.pk, "Porta A", door_user)
    with pytest.raises(Forbidden):
        undo_admission(ticket.code, show.pk, door_user, "porque sim")
    with pytest.raises(Forbidden):
        undo_admission(ticket.code, show.pk, make_user("seller"), "porque sim")
    with pytest.raises(ServiceError):
        undo_admission(ticket.code, show.pk, manager, "   ")
    assert Ticket.objects.get(pk=ticket.pk).status == "used"
    fresh, = sell_tickets(show)
    with pytest.raises(Conflict):
        undo_admission(fresh.code, show.pk, manager, "nada a desfazer")
    with pytest.raises(NotFound):
        undo_admission("no-such-code", show.pk, manager, "nada")
    assert AuditEntry.objects(action="ticket.admission_undo").count() == 0


def test_concurrent_undos_restore_once_and_audit_once(app, show, door_user, make_user):
    ticket, = sell_tickets(show)
    with app.test_request_context():
        admit(ticket.code, show.pk, "Porta A", door_user)
    managers = [make_user("manager") for _ in range(4)]
    barrier, outcomes = threading.Barrier(4), []

    def undo(user):
        with app.test_request_context():
            barrier.wait()
            try:
                undo_admission(ticket.code, show.pk, user, "teste")
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=undo, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 3 + ["ok"]
    assert AuditEntry.objects(action="ticket.admission_undo").count() == 1


@pytest.mark.parametrize("status, words", [("cancelled", "foi cancelado"), ("finished", "já terminou"),
                                           ("draft", "não está à venda")])
def test_a_show_whose_door_is_shut_admits_nobody_and_says_why(ctx, show, door_user, status, words):
    ticket, = sell_tickets(show)  # still valid: the cancellation job has not voided it yet
    show.update(set__status=status)
    result = admit(ticket.code, show.pk, "Porta A", door_user)
    assert not result.admitted and result.reason == "show_closed"
    assert words in result.message and "ninguém entra" in result.message
    assert Ticket.objects.get(pk=ticket.pk).status == "valid"
