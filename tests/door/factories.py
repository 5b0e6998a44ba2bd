"""Sold tickets written straight to the database, in the shape services/sales.py writes them."""
import secrets

from bson import ObjectId

from webapp.models import Order, OrderLine, Ticket, TicketSeat
from tests.factories import tiers_of


def sell_tickets(event, count=1, *, tier_index=0, status="valid", seats=None):
    """One confirmed order of `count` tickets of the event's tier; returns the tickets."""
    tier = tiers_of(event)[tier_index]
    number = "T" + secrets.token_hex(4).upper()
    order = Order(number=number, idempotency_key=secrets.token_hex(16), event_id=event.pk, event_title=event.title,
                  ticket_count=count, total_cents=tier.price_cents * count, seller_id=ObjectId(),
                  seller_name="Seller Test", status="confirmed",
                  lines=[OrderLine(ticket_type_id=tier.pk, name=tier.name, unit_price_cents=tier.price_cents,
                                   quantity=count, subtotal_cents=tier.price_cents * count)]).save()
    return [Ticket(code=secrets.token_urlsafe(18), order_id=order.pk, order_number=number, event_id=event.pk,
                   ticket_type_id=tier.pk, tier_name=tier.name, price_cents=tier.price_cents, status=status,
                   seat=_seat((seats or [None] * count)[i])).save()
            for i in range(count)]


def _seat(label):
    """A seat label ("B7") as the ticket keeps it (services/seats.py ticket_seat)."""
    return TicketSeat(sid=label, label=label, row=label[:1], number=label[1:]) if label else None
