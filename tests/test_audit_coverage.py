"""Requirement gaps found in the audit of issues 2–6: account and capacity changes audited, tier windows
validated, a running cancellation's progress polls itself."""
from datetime import timedelta

import pytest

from tests.factories import make_event, tiers_of
from webapp.models import AuditEntry, Event, User
from webapp.models.base import utcnow
from webapp.services import ServiceError, lifecycle, outbox, users
from webapp.services import events as event_service
from webapp.services import tiers as tier_service


def test_account_changes_are_audited_with_who_and_before_after(ctx, make_user):
    admin, seller = make_user("admin"), make_user("seller")
    User.objects(pk=seller.pk).update_one(set__lockouts=1, set__locked_until=utcnow() + timedelta(minutes=1))
    users.unlock(admin, User.objects.get(pk=seller.pk))
    users.set_password(admin, seller, "reset-pass-77")
    users.set_active(admin, seller, False)
    users.set_active(admin, seller, True)
    entries = {e.action: e for e in AuditEntry.objects(target_id=str(seller.pk), username=admin.username)}
    assert {"user.unlock", "user.password", "user.deactivate", "user.activate"} <= set(entries)
    assert entries["user.unlock"].before["locked"] is True and entries["user.unlock"].after["locked"] is False
    assert entries["user.deactivate"].before["active"] is True and entries["user.deactivate"].after["active"] is False
    assert "reset-pass-77" not in str(entries["user.password"].to_mongo())  # never the password itself


def test_a_show_capacity_change_is_audited(ctx, make_user):
    admin = make_user("admin")
    event = make_event(capacity=300, tiers=(("Inteira", 100_00, 100),))
    fields = event_service.EventFields(title=event.title, venue=event.venue, starts_at=event.starts_at,
                                 ends_at=event.ends_at, doors_at=event.doors_at, capacity=250)
    event_service.update_event(admin, event, fields)
    entry = AuditEntry.objects.get(action="event.update", event_id=event.pk)
    assert entry.username == admin.username and (entry.before["capacity"], entry.after["capacity"]) == (300, 250)


@pytest.mark.parametrize("window, message", [
    (dict(sales_start_days=3, sales_end_days=2), "devem terminar depois"),
    (dict(sales_start_days=1, sales_end_days=30), "depois do espetáculo"),
])
def test_a_tier_sales_window_must_make_sense(ctx, window, message):
    event = make_event(status="draft", tiers=())
    now = utcnow()
    fields = tier_service.TierFields(name="Lote 1", price_cents=50_00, quota=10,
                                sales_start=now + timedelta(days=window["sales_start_days"]),
                                sales_end=now + timedelta(days=window["sales_end_days"]))
    with pytest.raises(ServiceError, match=message) as err:
        tier_service.create_tier(None, event, fields)
    assert err.value.field == "sales_end" and tiers_of(Event.objects.get(pk=event.pk)) == []


def test_a_running_cancellation_polls_itself_until_done(app, client, sell, seller, show, make_user, logged_in):
    sell(seller, {0: 1})
    with app.test_request_context():
        lifecycle.set_status(make_user("admin"), show, "cancelled")
        outbox.relay_once()  # queued, no worker has run it yet
    logged_in("manager")
    fragment = client.get(f"/events/{show.pk}/cancellation", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="cancellation-progress"' in fragment and "0 de 1 pedidos reembolsados" in fragment
    assert 'hx-trigger="every' in fragment and 'hx-swap="outerHTML"' in fragment and "<html" not in fragment


def test_the_show_page_has_an_occupancy_bar_of_sold_over_capacity(client, logged_in, sell, seller, show):
    sell(seller, {0: 3})
    logged_in("admin")
    page = client.get(f"/events/{show.pk}").get_data(as_text=True)
    assert 'role="progressbar"' in page and 'aria-valuenow="3"' in page and f'aria-valuemax="{show.capacity}"' in page
    assert f"3 de {show.capacity} vendidos" in page


def test_exchange_from_the_order_page_needs_a_fresh_login_and_a_target_with_room(client, logged_in, sell, seller):
    from webapp.models import Ticket

    full = make_event(title="Lotado", tiers=(("Pista", 100_00, 2),))
    sell(seller, {0: 2}, event=full)
    order = sell(seller, {0: 1})
    code = Ticket.objects.get(order_id=order.pk).code
    logged_in("manager")
    client.post("/shift/open", data={"opening_float": "0"})
    data = {"ticket": code, "target": f"{full.pk}/{tiers_of(full)[0].pk}", "reason": "Outro dia", "key": "exch-view-1"}
    with client.session_transaction() as session:
        session["_fresh"] = False
    stale = client.post(f"/orders/{order.number}/exchange", data=data, headers={"HX-Request": "true"})
    assert stale.status_code == 204 and stale.headers["HX-Redirect"].startswith("/reauthenticate")
    client.post(stale.headers["HX-Redirect"], data={"password": "secret-pass"})
    refused = client.post(f"/orders/{order.number}/exchange", data=data, headers={"HX-Request": "true"})
    assert refused.status_code == 409 and "sgotado" in refused.get_data(as_text=True)
    assert Ticket.objects.get(code=code).status == "valid" and AuditEntry.objects(action="exchange").count() == 0
