"""A night at the box office with data in every state: every order, ticket, show, e-mail, payment, refund,
shift and outbox status, and every audit action, made through the real services (the pages then render them)."""
import uuid
from datetime import timedelta
from types import SimpleNamespace

from tests.factories import make_event, tiers_of
from tests.sale_fixtures import card, cash, pix
from webapp.models import AuditEntry, Order, OutboxMessage, Ticket, User
from webapp.models.base import utcnow
from webapp.services import (cancellation, devices, door, exchanges, lifecycle, orders, outbox, refunds, sales,
                             shifts, users)
from webapp.services import events as event_service
from webapp.services import tiers as tier_service
from webapp.services import venues as venue_service

PASSWORD = "senha-de-teste-1"


def _key():
    return str(uuid.uuid4())


def _codes(order):
    return [t.code for t in Ticket.objects(order_id=order.pk).order_by("id")]


def _sell(user, event, qty, payments, **kw):
    tier = tiers_of(event)[0]
    return sales.sell(user, event_id=str(event.pk), quantities={str(tier.pk): qty}, payments=payments,
                      idempotency_key=_key(), **kw)


def _staff():
    people = {}
    for username, name, role in (("ana", "Ana Souza", "admin"), ("gabi", "Gabriela Lima", "manager"),
                                 ("carla", "Carla Dias", "seller"), ("paulo", "Paulo Reis", "door")):
        people[role] = users.create_user(None, username=username, name=name, password=PASSWORD, roles=[role],
                                         comp_allowance=5)
    admin = people["admin"]
    extra = users.create_user(admin, username="rui", name="Rui Alves", password=PASSWORD, roles=["seller"])
    users.update_user(admin, extra, name="Rui Alves Neto", roles=["seller", "door"], locale="en", comp_allowance=2)
    users.set_active(admin, extra, False)
    users.set_active(admin, extra, True)
    users.set_password(admin, extra, "outra-senha-22")
    for _ in range(5):  # locked after too many failures (user.locked), then unlocked
        try:
            users.authenticate("rui", "errada")
        except users.LoginRefused:
            pass
    users.unlock(admin, User.objects.get(username="rui"))
    return SimpleNamespace(**people)


def _catalog(admin):
    now = utcnow().replace(microsecond=0)
    hall = venue_service.create_venue(admin, name="Salão Dourado", capacity=400)
    venue_service.update_venue(admin, hall, name="Salão Dourado", capacity=350, kind="reserved",
                         timezone="America/Sao_Paulo")

    def show(title, days, tiers=(("Inteira", 100_00, 100),)):
        start = now + timedelta(days=days)
        event = event_service.create_event(admin, event_service.EventFields(title=title, venue=hall, starts_at=start,
                                                                ends_at=start + timedelta(hours=2),
                                                                doors_at=start - timedelta(minutes=30)))
        for name, price, quota in tiers:
            tier_service.create_tier(admin, event, tier_service.TierFields(name=name, price_cents=price, quota=quota))
        return event

    tonight = show("Noite de Samba", 0.2, (("Inteira", 100_00, 100), ("Camarote", 250_00, 20)))
    later = show("Jazz no Salão", 5, (("Pista", 60_00, 100),))
    closed = show("Forró Pé de Serra", 2)
    cancelled = show("Ópera Cancelada", 8)
    draft = show("Rascunho de Verão", 30)
    gone = show("Espetáculo Apagado", 40)
    tier = tiers_of(later)[0]
    tier_service.update_tier(admin, later, tier, tier_service.TierFields(name="Pista", price_cents=70_00, quota=120))
    spare = tier_service.create_tier(admin, later, tier_service.TierFields(name="Extra", price_cents=10_00, quota=5))
    tier_service.delete_tier(admin, later, spare)
    event_service.update_event(admin, draft, event_service.EventFields(title="Rascunho de Verão", venue=hall,
                                                           starts_at=draft.starts_at, ends_at=draft.ends_at,
                                                           doors_at=draft.doors_at, capacity=300))
    event_service.duplicate_event(admin, draft, starts_at=draft.starts_at + timedelta(days=7),
                            ends_at=draft.ends_at + timedelta(days=7))
    lifecycle.delete_event(admin, gone)
    for event in (tonight, later, closed, cancelled):
        lifecycle.set_status(admin, event, "on_sale")
    return SimpleNamespace(hall=hall, tonight=tonight, later=later, closed=closed, cancelled=cancelled, draft=draft,
                           seated=_seat_map(admin))


def _seat_map(admin):
    """A venue with a seat map built and imported, every seat flag on some seat."""
    from webapp.services import seat_layout, seatmaps

    venue = venue_service.create_venue(admin, name="Teatro Mapa", capacity=10)
    seatmaps.add_zone(admin, venue, 0, code="A", name="Plateia", colour="#8ecae6")
    seatmaps.add_block(admin, venue, 1, seat_layout.Block(section="Plateia", zone="A", rows=2, per_row=6))
    seatmaps.add_tables(admin, venue, 2, seat_layout.Tables(section="Salão", zone="A", count=1, y=4))
    for sid, flag in (("PLA-A-1", "wheelchair"), ("PLA-A-2", "companion"), ("PLA-B-1", "restricted_view"),
                      ("PLA-B-6", "not_for_sale")):
        seatmaps.edit_seat(admin, venue, seatmaps.map_of(venue).version, sid, flags=[flag])
    seatmaps.import_json(admin, venue, seatmaps.map_of(venue).version, seatmaps.export_json(venue))
    return venue


def build(app, run_jobs):
    """Fill the database; returns the people, shows and orders, each in the state its name says."""
    people = _staff()
    admin, manager, seller, doorman = people.admin, people.manager, people.seller, people.door
    shows = _catalog(admin)
    shifts.open_shift(seller, 100_00)
    shifts.open_shift(manager, 300_00)
    customer = {"name": "Joana Prado", "email": "joana@example.com"}
    o = SimpleNamespace()
    o.cash = _sell(seller, shows.tonight, 2, [cash(tendered=250_00)], customer=customer)
    o.card = _sell(seller, shows.tonight, 1, [card("AUT123")])
    o.pix = _sell(seller, shows.later, 1, [pix("PIX-998877")])
    o.comp = _sell(seller, shows.tonight, 1, [{"method": "comp", "comp_reason": "Convidado do artista"}])
    o.voided = _sell(seller, shows.later, 1, [cash(tendered=100_00)])
    o.partial = _sell(seller, shows.later, 2, [card("AUT456")])
    o.refunded = _sell(seller, shows.later, 1, [pix("PIX-112233")])
    o.exchanged = _sell(seller, shows.later, 2, [cash(tendered=140_00)])
    o.swapped = _sell(seller, shows.later, 1, [cash(tendered=70_00)])  # every ticket exchanged: "exchanged"
    o.failed = _sell(seller, shows.later, 1, [card("AUT789")])
    o.cancelled = _sell(seller, shows.cancelled, 2, [cash(tendered=200_00)], customer=customer)
    o.cancelled_card = _sell(seller, shows.cancelled, 1, [card("AUT321")])  # its refund stays pending
    o.dropped = _sell(seller, shows.later, 1, [pix("PIX-556677")], customer={"email": "desistiu@example.com"})
    refunds.refund_tickets(manager, o.dropped, method="pix", reference="DEV-2", reason="Desistiu na hora",
                           idempotency_key=_key())  # before its e-mail left: it is never sent
    outbox.relay_once()
    run_jobs()  # confirmed, e-mails sent
    port, app.config["MAIL_PORT"] = app.config["MAIL_PORT"], 9  # nothing listens there: the e-mail fails for good
    o.mail_failed = _sell(seller, shows.later, 1, [cash(tendered=70_00)], customer={"email": "ninguem@example.com"})
    outbox.relay_once()
    run_jobs()
    app.config["MAIL_PORT"] = port
    orders.record_print(seller, o.cash)
    orders.record_print(seller, Order.objects.get(pk=o.cash.pk))  # printed again
    refunds.void_tickets(seller, o.voided, idempotency_key=_key())
    refunds.refund_tickets(manager, o.partial, _codes(o.partial)[:1], method="card", reference="EST-1",
                           reason="Cliente desistiu", idempotency_key=_key())
    refunds.refund_tickets(manager, o.refunded, method="pix", reference="DEV-1", reason="Cliente doente",
                           idempotency_key=_key())
    cheaper = tiers_of(shows.tonight)[0]
    exchanges.exchange_tickets(manager, o.exchanged, _codes(o.exchanged)[:1], event_id=shows.tonight.pk,
                               tier_id=cheaper.pk, reason="Mudou de data", idempotency_key=_key(),
                               payments=[cash(tendered=30_00)])
    exchanges.exchange_tickets(manager, o.swapped, None, event_id=shows.tonight.pk, tier_id=cheaper.pk,
                               reason="Mudou de data", idempotency_key=_key(), payments=[cash(tendered=30_00)])
    door.admit(_codes(o.cash)[0], shows.tonight.pk, "Portão Norte", doorman)
    door.admit(_codes(o.card)[0], shows.tonight.pk, "Portão Norte", doorman)
    door.undo_admission(_codes(o.card)[0], shows.tonight.pk, manager, "Saiu para buscar o documento")
    door.admit(_codes(o.comp)[0], shows.tonight.pk, "Portão Sul", doorman)
    refunds.refund_tickets(manager, o.comp, method="cash", reason="Convite duplicado", override_used=True,
                           override_reason="Entrou por engano", idempotency_key=_key())
    Order.objects(pk=o.failed.pk).update_one(set__payments__0__status="failed")
    _confirm_again(o.failed, run_jobs)  # the acquirer declared it failed: the sale is undone
    lifecycle.set_status(admin, shows.closed, "sales_closed")
    lifecycle.set_status(admin, shows.cancelled, "cancelled")
    outbox.relay_once()
    run_jobs()
    pending = refunds.pending_refunds()
    refunds.settle_refund(manager, pending[0][0].number, pending[0][1])
    outbox.retry_message(admin, OutboxMessage.objects.get(status="failed", order_number=o.failed.number).pk)
    outbox.relay_once()
    run_jobs()  # fails again: the payment is still declared failed
    # A cancellation e-mail the mail server refused, sent again by a manager.
    Order.objects(pk=o.cancelled.pk).update_one(unset__cancel_mailed_at=True, set__cancel_mail_error="550 no such user")
    cancellation.retry_failed_mail(manager, shows.cancelled.pk)
    _held_back_seats(manager)
    device, _token = devices.create_device(admin, "Leitor do Portão Sul", "door")  # a door scanner, then revoked
    devices.revoke_device(admin, device.pk)
    users.end_sessions(people.seller, admin)
    closed_shift = shifts.close_shift(seller, shifts.current_shift(seller), 90_00)
    # Sold last and never confirmed (no relay pass after it); a show already over (its end is in the past).
    o.pending = _sell(manager, shows.later, 1, [pix("PIX-445566")], customer={"email": "depois@example.com"})
    shows.finished = make_event(title="Baile de Ontem", status="finished", days_ahead=-1)
    for name in vars(o):
        setattr(o, name, Order.objects.get(pk=getattr(o, name).pk))
    return SimpleNamespace(people=people, shows=shows, orders=o, closed_shift=closed_shift,
                           open_shift=shifts.current_shift(manager), actions=set(AuditEntry.objects.distinct("action")))


def _held_back_seats(manager):
    """A seated show whose manager holds seats back and releases them (issue 12)."""
    from tests.seating.factories import seated_show
    from webapp.services import seat_blocks

    show = seated_show("Teatro Numerado", title="Noite Numerada")
    seat_blocks.block(manager, show, ["A1", "A2"], "house", "Diretoria")
    seat_blocks.unblock(manager, show, ["A2"])


def _confirm_again(order, run_jobs):
    """Queue the order's confirmation once more (as a reconciliation would) and run it."""
    OutboxMessage(kind="order.confirm", payload={"order_id": str(order.pk)}, order_number=order.number).save()
    outbox.relay_once()
    run_jobs()
