"""`flask init-db` brings data written by earlier versions up to the models: a field a model no longer declares
would make MongoEngine refuse the whole document."""
from webapp import db
from webapp.models import Venue


def test_init_db_removes_fields_earlier_versions_stored(app, ctx, client, logged_in):
    # As the first rounds stored a venue: with the seat_map placeholder that seat maps replaced.
    db.database().venues.insert_one({"name": "Sala Antiga", "capacity": 120, "kind": "general", "seat_map": [],
                                     "timezone": "America/Sao_Paulo", "active": True})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "seat_map" not in db.database().venues.find_one({"name": "Sala Antiga"})
    assert Venue.objects.get(name="Sala Antiga").capacity == 120
    logged_in("admin")
    page = client.get("/venues")
    assert page.status_code == 200 and "Sala Antiga" in page.get_data(as_text=True)


def test_init_db_marks_orders_earlier_versions_exchanged_as_exchanged(app, ctx, sell, seller, manager, show):
    from tests.factories import make_event, tiers_of
    from webapp.models import Order, Ticket
    from webapp.services import exchanges, refunds

    swapped, refunded = sell(seller, {0: 1}), sell(seller, {0: 1})
    other = make_event(title="Matinê", tiers=(("Plateia", 100_00, 10),))
    exchanges.exchange_tickets(manager, swapped, None, event_id=other.pk, tier_id=tiers_of(other)[0].pk,
                               reason="Outro dia", idempotency_key="exchange-key-upgrade")
    refunds.refund_tickets(manager, refunded, reason="Desistiu", idempotency_key="refund-key-upgrade")
    Order.objects(pk=swapped.pk).update_one(set__status="refunded")  # as earlier versions stored an exchange
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "1 order" in result.output
    assert Order.objects.get(pk=swapped.pk).status == "exchanged"
    assert Order.objects.get(pk=refunded.pk).status == "refunded"
    assert Ticket.objects(order_id=swapped.pk, status="valid").count() == 0


def test_init_db_stops_saying_to_be_sent_of_orders_with_no_ticket_left(app, ctx, sell, seller, manager):
    from webapp.models import Order
    from webapp.services import refunds

    given_back = sell(seller, {0: 1}, customer={"email": "ana@example.com"})
    refunds.refund_tickets(manager, given_back, reason="Desistiu", idempotency_key="refund-key-upgrade-mail")
    waiting = sell(seller, {0: 1}, customer={"email": "bia@example.com"})  # still valid: its e-mail still goes
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0 and "1 confirmation e-mail" in result.output, result.output
    assert Order.objects.get(pk=given_back.pk).email_status == "dropped"
    assert Order.objects.get(pk=waiting.pk).email_status == "pending"
