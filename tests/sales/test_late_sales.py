"""Sales close LATE_SALE_MINUTES (30) after a show starts unless the show sets its own "sales close at" — and the
sale, the POS list, the show page and the API all say the same. They used to run until the show ended."""
import uuid
from datetime import timedelta

import pytest

from tests.factories import make_event, tiers_of
from tests.views.test_api import token_for
from webapp.models import Event, Order
from webapp.models.base import utcnow
from webapp.timezones import local_input


def started(minutes_ago, title, **extra):
    """A show on sale that started `minutes_ago` (negative: starts later) and lasts two hours."""
    event = make_event(title=title, **extra)
    starts = utcnow().replace(microsecond=0) - timedelta(minutes=minutes_ago)
    Event.objects(pk=event.pk).update_one(set__starts_at=starts, set__ends_at=starts + timedelta(hours=2),
                                          set__doors_at=starts - timedelta(minutes=30))
    return Event.objects.get(pk=event.pk)


def test_sales_close_thirty_minutes_after_the_start_unless_the_show_says_otherwise(sell, seller):
    late = started(25, "Ainda dá")
    closed = started(35, "Já fechou")
    extended = started(60, "Até o fim", sales_end=utcnow() + timedelta(minutes=30))
    early = started(-60, "Fecha antes", sales_end=utcnow() - timedelta(minutes=1))
    assert sell(seller, event=late).ticket_count == 1
    assert sell(seller, event=extended).ticket_count == 1
    for show in (closed, early):
        with pytest.raises(Exception, match=f"As vendas de {show.title} estão encerradas."):
            sell(seller, event=show)
    assert Order.objects.count() == 2


def test_the_window_is_a_setting_and_never_outlasts_the_show(app, sell, seller, monkeypatch):
    monkeypatch.setitem(app.config, "LATE_SALE_MINUTES", 0)
    with pytest.raises(Exception, match="encerradas"):
        sell(seller, event=started(1, "Começou"))
    monkeypatch.setitem(app.config, "LATE_SALE_MINUTES", 240)  # longer than the show: its end still closes it
    with pytest.raises(Exception, match="encerradas"):
        sell(seller, event=started(121, "Acabou"))
    assert sell(seller, event=started(119, "Quase no fim")).ticket_count == 1


def test_pos_api_and_show_page_agree_on_when_sales_close(app, client, login, seller, make_user):
    late, closed = started(25, "Ainda dá"), started(35, "Já fechou")
    extended = started(60, "Até o fim", sales_end=utcnow() + timedelta(minutes=30))
    login(seller)
    listed = client.get("/sell").get_data(as_text=True)
    assert "Ainda dá" in listed and "Até o fim" in listed and "Já fechou" not in listed
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token_for(api, seller)}"}
    for show, status in ((late, 201), (closed, 422), (extended, 201)):  # 422: a rule refused a well-formed sale
        sold = api.post("/api/v1/orders", headers={**headers, "Idempotency-Key": str(uuid.uuid4())}, json={
            "event_id": str(show.pk), "items": [{"ticket_type_id": str(tiers_of(show)[0].pk), "quantity": 1}],
            "payments": [{"method": "card", "auth_code": "AUTH1234"}]})
        assert sold.status_code == status, (show.title, sold.get_json())
    admin = app.test_client()
    admin_headers = {"Authorization": f"Bearer {token_for(admin, make_user('admin'))}"}
    for show, closes, default in ((late, late.starts_at + timedelta(minutes=30), True),
                                  (extended, extended.sales_end, False)):
        shown = admin.get(f"/api/v1/events/{show.pk}", headers=admin_headers).get_json()
        assert shown["sales_close_at"] == closes.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert shown["sales_end"] == (None if default else shown["sales_close_at"])
        page = client.get(f"/events/{show.pk}").get_data(as_text=True)
        when = local_input(closes, show.venue.timezone)  # 2025-05-01T21:30 → the page shows 21:30
        assert 'id="sales-close"' in page and when[-5:] in page.split('id="sales-close"')[1].split("</dd>")[0]
        assert ("o padrão: 30 minutos depois do início" in page) is default


def test_the_show_form_says_what_an_empty_sales_close_means(client, logged_in, show):
    logged_in("admin")
    form = client.get(f"/events/{show.pk}/edit").get_data(as_text=True)
    assert "Vendas encerram em" in form and "Em branco: 30 minutos depois do início do espetáculo." in form
