"""Orders after the sale: finding them, printing audit, confirmation and the saga's compensation."""
import re

from flask_babel import gettext as _

from pymongo import UpdateOne

from .. import db
from ..models import Order, OutboxMessage, Shift, Ticket
from ..models.order import code_of_number
from ..models.base import search_words, utcnow
from . import Conflict, NotFound, aggregates, ledger, ticket_codes
from .audit import record
from .inventory import give_back_tickets
from .refunds import flip_to_void
from .ticket_print import seat_order

LOOKUP_LIMIT = 50
# An order number as printed (261201-SYNL6Z), or as typed from it: without the dash, or with a space or a dot.
_NUMBER = re.compile(r"^(\d{6})[-\s./]?([0-9A-Z]{6})$")
_CODE = re.compile(r"^[0-9A-Z]{6}$")  # its code part alone ("G64NDQ"), as staff read it off a receipt


def get_order(number):
    """The order with this number (case and spaces forgiven), or NotFound."""
    order = Order.objects(number=(number or "").strip().upper()).first()
    if order is None:
        raise NotFound(_("Order not found."))
    return order


def tickets_of(order):
    """The order's tickets in the order they were issued, seated ones in seat order (section, row, number: J1 J2
    J4, as they are handed over, not as best-available found them); for the order sales.sell() has just returned,
    the tickets its transaction wrote (not read back: its answer is the sale's last step)."""
    issued = getattr(order, "issued_tickets", None)
    tickets = list(issued) if issued is not None else list(Ticket.objects(order_id=order.pk).order_by("created_at", "id"))
    return sorted(tickets, key=lambda t: seat_order(t.seat))  # stable: general admission keeps its issue order


def find_orders(query):
    """Orders matching an order number (or its code part alone), a ticket code, or the customer's document, e-mail
    or name (newest first)."""
    text = (query or "").replace("\x00", "").strip()  # MongoDB refuses a NUL byte in a regex pattern
    if not text or len(text) > 120:
        return []
    number = _NUMBER.match(text.upper())
    by_number = list(Order.objects(number="-".join(number.groups()))) if number else []
    if not number and _CODE.match(text.upper()):  # through Order.number_code's index; a miss may be a name
        by_number = list(Order.objects(number_code=text.upper()).order_by("-created_at").limit(LOOKUP_LIMIT))
    if by_number:  # else on: twelve digits may as well be a customer's document
        return by_number
    ticket = Ticket.objects(code__in=ticket_codes.candidates(text)).first()
    if ticket is not None:
        return list(Order.objects(pk=ticket.order_id))
    ids = set(Ticket.objects(holder_document=text).distinct("order_id"))
    found = Order.objects(__raw__={"$or": [{"customer.document": text}, {"customer.email": text.lower()},
                                           {"_id": {"$in": list(ids)}}]})
    orders = {o.pk: o for o in found.order_by("-created_at").limit(LOOKUP_LIMIT)}
    name = name_filter(text) if len(text) >= 3 else None
    if name:
        orders.update({o.pk: o for o in Order.objects(__raw__=name).order_by("-created_at").limit(LOOKUP_LIMIT)})
    return sorted(orders.values(), key=lambda o: o.created_at, reverse=True)[:LOOKUP_LIMIT]


def name_filter(text):
    """Orders whose customer's name has a word starting with each typed word, accents and case aside
    ("joao sil" finds "João da Silva"); an indexed prefix match on Order.customer_words. None without words."""
    words = search_words(text)[:5]
    if not words:
        return None
    return {"$and": [{"customer_words": {"$regex": "^" + re.escape(word)}} for word in words]}


def index_customer_names():
    """Backfill Order.customer_words for orders written before it existed (`flask init-db`); returns how many."""
    return _backfill("customer_words", {"customer.name": {"$nin": [None, ""]}},
                     lambda raw: search_words(raw["customer"]["name"]))


def index_order_codes():
    """Backfill Order.number_code for orders written before it existed (`flask init-db`); returns how many."""
    return _backfill("number_code", {"number": {"$regex": "-."}}, lambda raw: code_of_number(raw["number"]))


def _backfill(field, query, value, batch=500):
    """Set `field` to value(raw order) on each order matching `query` that has no such field yet (once each)."""
    done, orders, updates = 0, Order._get_collection(), []
    for raw in orders.find({**query, field: {"$exists": False}}, {key: 1 for key in query}):
        updates.append(UpdateOne({"_id": raw["_id"], field: {"$exists": False}}, {"$set": {field: value(raw)}}))
        if len(updates) == batch:
            done += orders.bulk_write(updates, ordered=False).modified_count
            updates = []
    if updates:
        done += orders.bulk_write(updates, ordered=False).modified_count
    return done


def recent_orders(user, limit=20):
    """The user's latest sales (a manager sees everyone's)."""
    orders = Order.objects if user.has_role("manager") else Order.objects(seller_id=user.pk)
    return list(orders.order_by("-created_at").limit(limit))


def record_print(user, order):
    """Count a print of the order's tickets; every print after the first is audited as a reprint. Conflict when
    no ticket is left valid (voided, refunded, a cancelled show): there is nothing to print."""
    if Ticket.objects(order_id=order.pk, status="valid").only("id").first() is None:
        raise Conflict(_("This order has no valid tickets to print."))
    updated = Order.objects(pk=order.pk).modify(inc__print_count=1, new=True)
    if updated.print_count > 1:
        record("order.reprint", user, target=order, order_number=order.number, event_id=order.event_id,
               after={"print_count": updated.print_count})
    return updated


def failed_confirmations(limit=100):
    """Orders whose confirmation work failed for good, for the admins' list."""
    return list(Order.objects(__raw__={"$or": [{"email_status": "failed"}, {"status": "failed"}]})
                .order_by("-created_at").limit(limit))


def _release_in(session, order_id, reason):
    orders, now = Order._get_collection(), utcnow()
    raw = orders.find_one_and_update(
        {"_id": order_id, "released_at": None, "status": {"$in": ["pending", "confirmed", "partially_refunded"]}},
        {"$set": {"status": "failed", "released_at": now}}, session=session)
    if raw is None:
        return False  # already released, voided or refunded: the seats went back once, not twice
    order = Order._from_son(raw)
    live = list(Ticket._get_collection().find({"order_id": order_id, "status": {"$ne": "void"}}, session=session))
    # Only tickets still valid go back; one used at the door stays used (the customer is inside).
    flipped = flip_to_void(session, [t for t in live if t["status"] == "valid"])
    give_back_tickets(session, order, flipped)
    notes = ["used_tickets"] if len(flipped) < len(live) else []
    inc = ledger.release_increment(order, len(flipped) if order.comp_count else 0)
    # A closed shift is never changed: its stored expected cash and difference are what was counted.
    if order.shift_id and inc and not Shift._get_collection().update_one(
            {"_id": order.shift_id, "status": "open"}, {"$inc": inc}, session=session).matched_count:
        notes.append("shift_closed")
    if order.credit_cents:  # paid on the old order, never a payment of this one: still owed, not refunded
        notes.append("credit_held")
    if notes:
        orders.update_one({"_id": order_id}, {"$set": {"release_notes": notes}}, session=session)
    record("order.release", None, session=session, target=order, reason=reason, order_number=order.number,
           event_id=order.event_id, before={"status": order.status},
           after={"status": "failed", "tickets_voided": sorted(t["code"] for t in flipped), "notes": notes})
    # issue 6: the money still held leaves the figures as of the release (the rebuild replays it from released_at).
    aggregates.record_void(session, raw, at=now, tickets=flipped)
    return True


def release_order(order_id, reason):
    """Saga compensation: undo a sale whose payment failed — valid tickets void, their seats back — once only.

    Returns True when this call released it, False when it had already been released (or voided, refunded).
    Used tickets, a closed shift and an exchange's credit are left as they are and noted on the order for staff.
    """
    return db.run_in_transaction(_release_in, order_id, reason)


def compensate_failed_payment(order_id):
    """The confirmation job's failure path: release the order; returns (outcome, message) saying what happened."""
    if release_order(order_id, "payment not confirmed"):
        return "released", "payment not confirmed: sale undone, valid tickets voided and their seats released"
    status = Order.objects(pk=order_id).scalar("status").first()
    if status == "failed":
        return "already released", "payment not confirmed: sale undone, seats released"
    return "nothing to release", f"payment not confirmed: the order was already {status}, nothing left to release"


def mark_confirmation_failed(order_id, message_id, error):
    """The confirmation job gave up: the outbox message and the order's e-mail show it to admins."""
    error = (error or "")[:500]
    if message_id:
        OutboxMessage.objects(pk=message_id).update_one(set__status="failed", set__last_error=error,
                                                        set__finished_at=utcnow())
    Order.objects(pk=order_id, email_status__in=["pending", "failed"]).update_one(
        set__email_status="failed", set__email_error=error)
