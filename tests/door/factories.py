"""Sold tickets for the door's tests, sold, confirmed and voided by the services themselves."""
import secrets
import uuid
from contextlib import nullcontext

from flask import has_request_context

from webapp.models import Order, Ticket, TicketSeat, User
from webapp.services import confirmation, refunds, sales, shifts, users
from tests.factories import tiers_of

SELLER = "door-factory-seller"
APP = {}  # the test app (door conftest): browser tests call sell_tickets outside any app context


def _seller():
    """The box office seller the door's tickets are sold by (made once per test, with an open shift)."""
    seller = User.objects(username=SELLER).first()
    if seller is None:
        seller = users.create_user(None, username=SELLER, name="Seller Test", password="bilheteria-porta-1",
                                   roles=["seller"])
    if shifts.current_shift(seller) is None:
        shifts.open_shift(seller, 0)
    return seller


def sell_tickets(event, count=1, *, tier_index=0, status="valid", seats=None):
    """One confirmed order of `count` tickets of the event's tier, paid in cash; returns the tickets.

    status "void": the order is then voided (its places go back). seats: the tickets' seat labels, written on
    the sold tickets of a general-admission show (the seating tests sell real seats)."""
    with nullcontext() if has_request_context() else APP["app"].test_request_context():
        seller, tier = _seller(), tiers_of(event)[tier_index]
        order = sales.sell(seller, event_id=str(event.pk), quantities={str(tier.pk): count},
                           payments=[{"method": "cash"}], idempotency_key=str(uuid.uuid4()))
        confirmation.confirm_order(order.pk)
        if status == "void":
            refunds.reverse(Order.objects.get(pk=order.pk), "void", seller)
    tickets = list(Ticket.objects(order_id=order.pk).order_by("created_at", "id"))
    for ticket, label in zip(tickets, seats or []):
        ticket.update(set__seat=_seat(label))
        ticket.reload()
    return tickets


def _seat(label):
    """A seat label ("B7") as the ticket keeps it (services/seats.py ticket_seat)."""
    return TicketSeat(sid=label, label=label, row=label[:1], number=label[1:])


def with_older_code(ticket):
    """The ticket as issued before today's codes (URL-safe base64, case-sensitive): no service issues those any
    more, so the code is written as given, as such a ticket's would have been."""
    ticket.update(set__code=secrets.token_urlsafe(18))
    ticket.reload()
    return ticket
