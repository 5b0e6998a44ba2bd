"""What slowed the door down (issue 9): codes typed by hand, an empty Enter, concession documents, the show picker."""
import re
from datetime import datetime, timedelta, timezone

from tests.factories import make_event
from tests.sale_fixtures import cash, sell_now
from webapp.models import AuditEntry, Ticket
from webapp.services import door, shifts, ticket_codes

from .factories import sell_tickets, with_older_code

HX = {"HX-Request": "true"}


def start(client, show, gate="Porta A"):
    assert client.post("/door/", data={"event_id": str(show.pk), "gate": gate}).status_code == 302


def scan(client, show, code):
    return client.post(f"/door/{show.pk}/scan", data={"code": code}, headers=HX)


def test_new_codes_are_130_random_bits_of_crockford_base32_printed_in_groups_of_four():
    codes = {ticket_codes.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", code) for code in codes)
    code = "7KQ2M9XD4HTPB3VN8WREJC5F2A"
    assert ticket_codes.grouped(code) == "7KQ2 M9XD 4HTP B3VN 8WRE JC5F 2A"
    assert ticket_codes.grouped("aB-_old-format_code") == "aB-_old-format_code"  # older codes shown as issued


def test_a_code_typed_by_hand_is_forgiven_case_spaces_dashes_and_look_alike_letters(client, logged_in, make_user, ctx):
    event = make_event(title="Noite de Samba", tiers=(("Inteira", 100_00, 50),), days_ahead=0)
    seller = make_user("seller", username="vera")
    shifts.open_shift(seller, 0)
    order = sell_now(seller, event, {0: 3}, [cash()])
    tickets = list(Ticket.objects(order_id=order.pk).order_by("id"))
    assert all(len(t.code) == 26 for t in tickets)  # the sale issues the new codes
    logged_in("door", "seller")
    start(client, event)
    first, second, third = (t.code for t in tickets)
    typed = [ticket_codes.grouped(first).lower(),  # as printed, in lower case
             "-".join(second[i:i + 4] for i in range(0, 26, 4)).lower(),  # with dashes
             third.replace("0", "o").replace("1", "l")]  # O for zero, l for one
    for text in typed:
        html = scan(client, event, text).get_data(as_text=True)
        assert 'data-outcome="admitted"' in html, text
    assert Ticket.objects(order_id=order.pk, status="used").count() == 3
    again = scan(client, event, typed[0]).get_data(as_text=True)
    assert "Já utilizado em" in again and ticket_codes.grouped(first) in again  # refused, and the code as printed
    # Found by the seller's order search too, however it was typed.
    body = client.get("/orders", query_string={"q": ticket_codes.grouped(first).lower()}).get_data(as_text=True)
    assert order.number in body


def test_older_codes_still_match_exactly(client, logged_in, show):
    old = with_older_code(sell_tickets(show)[0])
    logged_in("door")
    start(client, show)
    assert 'data-outcome="admitted"' in scan(client, show, f" {old.code} ").get_data(as_text=True)


def test_an_empty_enter_does_nothing(client, logged_in, show):
    logged_in("door")
    start(client, show)
    audited = AuditEntry.objects.count()
    for blank in ("", "   ", "\t"):
        response = scan(client, show, blank)
        assert response.status_code == 204 and response.get_data() == b""  # nothing swapped: no REFUSED
    no_js = client.post(f"/door/{show.pk}/scan", data={"code": " "})
    assert no_js.status_code == 302 and no_js.headers["Location"] == f"/door/{show.pk}"
    assert AuditEntry.objects.count() == audited and Ticket.objects(status="used").count() == 0


def test_a_concession_admission_asks_for_the_holders_document(client, logged_in, show):
    meia, = sell_tickets(show)
    Ticket.objects(pk=meia.pk).update_one(set__holder_document="123.456.789-00")
    plain, = sell_tickets(show)
    logged_in("door")
    start(client, show)
    html = scan(client, show, meia.code).get_data(as_text=True)
    assert 'data-outcome="admitted"' in html and 'data-check="document"' in html
    assert "Meia-entrada: confira o documento do portador" in html and "123.456.789-00" in html
    html = scan(client, show, plain.code).get_data(as_text=True)
    assert 'data-outcome="admitted"' in html and "door-check" not in html and "confira o documento" not in html


def _show(title, starts, hours=2):
    event = make_event(title=title, tiers=(("Inteira", 100_00, 10),))
    event.starts_at, event.ends_at, event.doors_at = starts, starts + timedelta(hours=hours), starts - timedelta(hours=1)
    return event.save()


def test_picker_lists_todays_shows_first_and_starts_on_the_next_one(app):
    utc = timezone.utc
    now = datetime(2030, 5, 10, 20, 0, tzinfo=utc)  # 17:00 in São Paulo
    matinee = _show("Matinê", datetime(2030, 5, 10, 15, 0, tzinfo=utc))  # 12:00–14:00, ended
    evening = _show("Noite", datetime(2030, 5, 10, 23, 0, tzinfo=utc))  # 20:00 today
    late = _show("Madrugada", datetime(2030, 5, 11, 1, 30, tzinfo=utc))  # 22:30 today (local)
    overnight = _show("Virada", datetime(2030, 5, 10, 2, 0, tzinfo=utc), hours=14)  # began yesterday, ended at 13:00
    tomorrow = _show("Amanhã", datetime(2030, 5, 11, 23, 0, tzinfo=utc))
    _show("Antiga", datetime(2030, 5, 9, 12, 0, tzinfo=utc))  # ended long ago: not listed
    rows = door.door_shows(now)
    assert [row["event"].title for row in rows] == ["Matinê", "Noite", "Madrugada", "Virada", "Amanhã"]
    assert [row["today"] for row in rows] == [True, True, True, False, False]
    assert door.next_show(rows, now) == evening  # not the matinee that already ended
    assert door.next_show(door.door_shows(now + timedelta(hours=3, minutes=30)), now + timedelta(hours=3, minutes=30)) == late
    during = datetime(2030, 5, 11, 2, 0, tzinfo=utc)  # 23:00: the late show is on, nothing else starts today
    assert door.next_show(door.door_shows(during), during) == late
    assert door.next_show([{"event": tomorrow, "today": False}], now) == tomorrow
    assert door.next_show([], now) is None
    assert matinee and overnight


def test_picker_page_checks_the_show_the_service_picks(client, logged_in):
    soon = make_event(title="Logo mais", tiers=(("Inteira", 100_00, 10),), days_ahead=0)
    later = make_event(title="Depois", tiers=(("Inteira", 100_00, 10),), days_ahead=2)
    logged_in("door")
    page = client.get("/door/").get_data(as_text=True)
    expected = door.next_show(door.door_shows())
    checked = re.findall(r'value="([0-9a-f]{24})" required\s+checked', page)
    assert checked == [str(expected.pk)] and expected in (soon, later)
