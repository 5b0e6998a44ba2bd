"""Catalog pages: admins edit, managers and sellers read, the door is refused; bad input never saves."""
from datetime import timedelta

import pytest

from tests.factories import make_event, make_venue, take_places, tiers_of
from webapp.models import Event, Inventory, TicketType, Venue
from webapp.models.base import utcnow
from webapp.timezones import to_local


def local(dt, tz="America/Sao_Paulo"):
    return to_local(dt, tz).strftime("%Y-%m-%dT%H:%M")


def event_form(place, days=10, **extra):
    starts = utcnow() + timedelta(days=days)
    data = {"title": "Samba de Gala", "venue": str(place.pk), "starts_at": local(starts),
            "ends_at": local(starts + timedelta(hours=2)), "doors_at": local(starts - timedelta(minutes=30)),
            "max_per_order": "8", "concession_cap_pct": "40"}
    data.update(extra)
    return data


def test_admin_creates_a_show_with_times_in_the_venue_zone(client, logged_in):
    logged_in("admin")
    venue = make_venue(name="Sala Manaus", timezone="America/Manaus")  # UTC-4
    data = event_form(venue, starts_at="2031-03-10T21:00", ends_at="2031-03-10T23:00", doors_at="2031-03-10T20:30")
    response = client.post("/events/new", data=data)
    assert response.status_code == 302
    event = Event.objects.get(title="Samba de Gala")
    assert event.starts_at.hour == 1 and event.starts_at.day == 11  # 21:00 in Manaus is 01:00 UTC next day
    page = client.get(f"/events/{event.pk}").get_data(as_text=True)
    assert "21:00" in page and "Rascunho" in page and "0 de 300 vendidos" in page


@pytest.mark.parametrize("change, message", [
    ({"title": ""}, "obrigatório"),
    ({"title": "x" * 5000}, "160"),
    ({"max_per_order": "abc"}, "inteiro"),
    ({"max_per_order": "-5"}, "1"),
    ({"concession_cap_pct": "99999999999999999999"}, "100"),
    ({"starts_at": "2001-01-01T20:00", "ends_at": "2001-01-01T22:00", "doors_at": ""}, "passado"),
    ({"starts_at": "amanhã"}, "2025-12-31 21:00"),
    ({"venue": "000000000000000000000000"}, "válida"),
])
def test_bad_show_input_is_shown_next_to_the_field_and_nothing_saved(client, logged_in, change, message):
    logged_in("admin")
    venue = make_venue()
    response = client.post("/events/new", data=event_form(venue, **change), headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="event-form"' in body and "<html" not in body
    assert message in body and 'class="error"' in body
    assert Event.objects.count() == 0


def test_without_javascript_the_full_page_shows_the_errors(client, logged_in):
    logged_in("admin")
    venue = make_venue()
    response = client.post("/events/new", data=event_form(venue, title=""))
    assert response.status_code == 400 and "<html" in response.get_data(as_text=True)


def test_ends_before_start_is_refused(client, logged_in):
    logged_in("admin")
    venue = make_venue()
    starts = utcnow() + timedelta(days=3)
    response = client.post("/events/new", data=event_form(venue, ends_at=local(starts - timedelta(hours=1)),
                                                           starts_at=local(starts), doors_at=""))
    assert response.status_code == 400 and "terminar depois" in response.get_data(as_text=True)
    assert Event.objects.count() == 0


def test_tier_price_typed_the_portuguese_way(client, logged_in):
    logged_in("admin")
    event = make_event(status="draft", tiers=())
    response = client.post(f"/events/{event.pk}/tiers", headers={"HX-Request": "true"},
                           data={"name": "VIP", "price": "1.234,50", "quota": "40", "max_per_order": "4"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="tiers"' in body and "R$\xa01.234,50" in body
    tier = TicketType.objects.get(name="VIP")
    assert tier.price_cents == 123450 and tier.max_per_order == 4
    assert Inventory.objects.get(key=Inventory.tier_key(tier.pk)).remaining == 40


def test_tier_price_typed_the_english_way(client, logged_in):
    logged_in("admin", locale="en")
    event = make_event(status="draft", tiers=())
    client.post(f"/events/{event.pk}/tiers", data={"name": "VIP", "price": "1,234.50", "quota": "40"})
    assert TicketType.objects.get(name="VIP").price_cents == 123450
    response = client.get(f"/events/{event.pk}/tiers/{TicketType.objects.get(name='VIP').pk}")
    assert 'value="1,234.50"' in response.get_data(as_text=True)  # the edit form shows it back the same way


@pytest.mark.parametrize("price, quota, message", [
    ("-10,00", "10", "preço"), ("abc", "10", "preço"), ("999.999.999,00", "10", "100.000"),
    ("10,00", "-1", "0"), ("10,00", "301", "301") , ("10,001", "5", "preço"), ("10,00", "dez", "inteiro"),
])
def test_bad_tier_input_is_refused_next_to_the_field(client, logged_in, price, quota, message):
    logged_in("admin")
    event = make_event(status="draft", tiers=())
    response = client.post(f"/events/{event.pk}/tiers", data={"name": "X", "price": price, "quota": quota},
                           headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="tier-form"' in body and 'class="error"' in body
    assert TicketType.objects.count() == 0


def test_lowering_a_tier_below_sold_is_refused_on_the_page(client, logged_in):
    logged_in("admin")
    event = make_event(tiers=(("Inteira", 10000, 100),))
    tier = tiers_of(event)[0]
    take_places(event, tier, 60)
    response = client.post(f"/events/{event.pk}/tiers/{tier.pk}", headers={"HX-Request": "true"},
                           data={"name": "Inteira", "price": "100,00", "quota": "50"})
    assert response.status_code == 409 or response.status_code == 400
    assert "60" in response.get_data(as_text=True)
    c = Inventory.objects.get(key=Inventory.tier_key(tier.pk))
    assert (c.quota, c.sold, c.remaining) == (100, 60, 40)


def test_lifecycle_buttons_and_refusal_message(client, logged_in):
    logged_in("admin")
    event = make_event(status="draft", tiers=())
    response = client.post(f"/events/{event.pk}/status", data={"status": "on_sale"})
    assert response.status_code == 400 and "faixa de preço" in response.get_data(as_text=True)
    client.post(f"/events/{event.pk}/tiers", data={"name": "Inteira", "price": "50", "quota": "10"})
    assert client.post(f"/events/{event.pk}/status", data={"status": "on_sale"}).status_code == 302
    assert Event.objects.get(pk=event.pk).status == "on_sale"
    assert client.post(f"/events/{event.pk}/delete").status_code == 409
    assert Event.objects.count() == 1


def test_finished_is_offered_only_once_the_show_has_ended(client, logged_in):
    """"Move to: Finished" was offered on a show still to come, and clicking it only earned a refusal."""
    logged_in("admin")
    coming = make_event(title="Amanhã", days_ahead=1)
    page = client.get(f"/events/{coming.pk}").get_data(as_text=True)
    assert 'value="sales_closed"' in page and 'value="finished"' not in page
    ended = make_event(title="Ontem", days_ahead=-1)
    assert 'value="finished"' in client.get(f"/events/{ended.pk}").get_data(as_text=True)

def test_duplicate_on_another_date(client, logged_in):
    logged_in("admin")
    event = make_event(tiers=(("Inteira", 10000, 100), ("Meia", 5000, 40)))
    starts = event.starts_at + timedelta(days=7)
    response = client.post(f"/events/{event.pk}/duplicate", data={"starts_at": local(starts),
                                                                  "ends_at": local(starts + timedelta(hours=2))})
    assert response.status_code == 302
    copy = Event.objects.get(pk__ne=event.pk)
    assert copy.status == "draft" and len(tiers_of(copy)) == 2


def test_list_search_filters_and_pagination(app, client, logged_in):
    logged_in("seller")
    other = make_venue(name="Salão Cristal")
    for i in range(23):
        make_event(title=f"Samba {i:02d}", days_ahead=i + 1)
    make_event(other, title="Tango Noturno", status="draft")
    body = client.get("/events?q=tango").get_data(as_text=True)
    assert "Tango Noturno" in body and "Samba 00" not in body
    body = client.get(f"/events?venue={other.pk}&status=draft").get_data(as_text=True)
    assert "Tango Noturno" in body and "Samba" not in body
    page2 = client.get("/events?q=samba&page=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="event-list"' in page2 and "Samba 20" in page2 and "Samba 00" not in page2
    # The filter's days are the casino's calendar days: tomorrow there, not in UTC (which is a day ahead from 21h).
    day = to_local(utcnow() + timedelta(days=1), app.config["BABEL_DEFAULT_TIMEZONE"]).date().isoformat()
    body = client.get(f"/events?date_from={day}&date_to={day}").get_data(as_text=True)
    assert "Samba 00" in body and "Samba 05" not in body
    assert client.get("/events?date_from=not-a-date").status_code == 400


@pytest.mark.parametrize("role", ["seller", "manager"])
def test_sellers_and_managers_read_but_do_not_edit(client, logged_in, role):
    logged_in(role)
    event = make_event()
    tier = tiers_of(event)[0]
    page = client.get(f"/events/{event.pk}").get_data(as_text=True)
    assert "Inteira" in page and 'id="tier-form"' not in page and "Editar" not in page
    for url in ("/events/new", f"/events/{event.pk}/edit", f"/events/{event.pk}/status", f"/events/{event.pk}/delete",
                f"/events/{event.pk}/tiers", f"/events/{event.pk}/tiers/{tier.pk}", "/venues/new"):
        assert client.post(url, data={"status": "cancelled", "name": "x"}).status_code == 403, url
    assert client.get("/venues").status_code == 403
    assert Event.objects.get(pk=event.pk).status == "on_sale"


def test_door_staff_cannot_see_the_catalog(client, logged_in):
    logged_in("door")
    event = make_event()
    assert client.get("/events").status_code == 403
    assert client.get(f"/events/{event.pk}").status_code == 403


def test_unknown_ids_are_404_pages(client, logged_in):
    logged_in("admin")
    event, other = make_event(), make_event(title="Outro")
    foreign_tier = tiers_of(other)[0]
    for url in ("/events/000000000000000000000000", "/events/nope", "/venues/nope",
                f"/events/{event.pk}/tiers/{foreign_tier.pk}", f"/events/{event.pk}/tiers/zzz"):
        response = client.get(url)
        assert response.status_code == 404 and "Bilheteria" in response.get_data(as_text=True), url
    assert client.post(f"/events/{event.pk}/tiers/{foreign_tier.pk}/delete").status_code == 404
    assert TicketType.objects(pk=foreign_tier.pk).count() == 1


def test_admin_manages_venues(client, logged_in):
    logged_in("admin")
    assert client.post("/venues/new", data={"name": "Sala Azul", "capacity": "120", "kind": "general",
                                            "timezone": "America/Sao_Paulo"}).status_code == 302
    assert "Sala “Sala Azul” salva." in client.get("/venues").get_data(as_text=True)  # the name is set apart
    venue = Venue.objects.get(name="Sala Azul")
    response = client.post(f"/venues/{venue.pk}", data={"name": "Sala Azul", "capacity": "0", "kind": "general",
                                                        "timezone": "Lua/Base"}, headers={"HX-Request": "true"})
    assert response.status_code == 400 and 'id="venue-form"' in response.get_data(as_text=True)
    assert Venue.objects.get(pk=venue.pk).capacity == 120
    assert "Sala Azul" in client.get("/venues").get_data(as_text=True)


def test_edit_form_shows_the_venue_local_times(client, logged_in):
    logged_in("admin")
    event = make_event()
    body = client.get(f"/events/{event.pk}/edit").get_data(as_text=True)
    assert local(event.starts_at) in body


def test_catalog_forms_need_csrf_in_the_real_app(secure_app, make_user):
    c = secure_app.test_client()
    c.get("/login")
    admin = make_user("admin")
    # The login form itself needs the token: fetch it from the page.
    import re
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', c.get("/login").get_data(as_text=True))
    c.post("/login", data={"username": admin.username, "password": "secret-pass", "csrf_token": token.group(1)})
    response = c.post("/venues/new", data={"name": "Sem Token", "capacity": "10", "kind": "general",
                                           "timezone": "America/Sao_Paulo"})
    assert response.status_code == 400 and Venue.objects.count() == 0


def test_show_page_gives_the_start_as_a_full_local_date_and_a_short_time(client, logged_in):
    from datetime import datetime, timedelta, timezone

    from tests.factories import make_event

    logged_in("seller")
    event = make_event()
    event.update(set__starts_at=datetime(2026, 12, 5, 0, 0, tzinfo=timezone.utc),
                 set__ends_at=datetime(2026, 12, 5, 2, 0, tzinfo=timezone.utc),
                 set__doors_at=datetime(2026, 12, 5, 0, 0, tzinfo=timezone.utc) - timedelta(minutes=30))
    page = client.get(f"/events/{event.pk}").get_data(as_text=True)
    assert "sexta-feira, 4 de dezembro de 2026 · 21:00" in page  # São Paulo's evening, not UTC midnight
    assert "Horário" not in page
