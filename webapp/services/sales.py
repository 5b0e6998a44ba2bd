"""The box-office sale: one transaction takes the seats, the money and writes the order — never oversold."""
import re
import secrets
from datetime import datetime, timezone

from bson import ObjectId
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from pymongo.errors import DuplicateKeyError

from .. import db
from ..i18n import datetime_local
from ..models import Event, Inventory, Order, OutboxMessage, Shift, Ticket, TicketType
from ..models.base import utcnow
from ..payment_methods import METHODS
from ..timezones import zone
from . import Conflict, NotFound, ServiceError, aggregates, ticket_codes
from .audit import record
from .events import sales_close_at
from .payments import settle
from .ledger import sale_increment
from .sale_keys import existing_order, request_fingerprint, same_request
from .shifts import require_open_shift

MAX_QUANTITY = 100
_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread over the counter
_DOCUMENT = re.compile(r"^[A-Za-z0-9./-]{3,30}$")
_PHONE = re.compile(r"^[0-9 +().-]{6,30}$")
_KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class SoldOut(Conflict):
    """Not enough tickets left; the message says sold out or how many are left."""


def _object_id(value, message):
    if not ObjectId.is_valid(str(value or "")):
        raise NotFound(message)
    return ObjectId(str(value))


def _clean_quantities(quantities):
    clean = {}
    for tier_id, qty in (quantities or {}).items():
        if not isinstance(qty, int) or isinstance(qty, bool) or not 0 <= qty <= MAX_QUANTITY:
            raise ServiceError(_("Quantities must be whole numbers from 0 to %(n)d.", n=MAX_QUANTITY), "quantities")
        if qty:
            key = _object_id(tier_id, _("Ticket type not found."))
            clean[key] = clean.get(key, 0) + qty
    if not clean:
        raise ServiceError(_("Choose at least one ticket."), "quantities")
    return clean


def clean_documents(documents):
    clean = {}
    for tier_id, values in (documents or {}).items():
        docs = [d.strip() for d in (values or []) if d and d.strip()]
        for doc in docs:
            if not _DOCUMENT.match(doc):
                raise ServiceError(_("Document numbers have 3 to 30 letters, digits, dots or dashes."), "documents")
        if ObjectId.is_valid(str(tier_id)):
            clean[ObjectId(str(tier_id))] = docs
    return clean


def clean_customer(customer):
    """The optional customer fields, trimmed and checked (e-mail lower-cased); {} when none was given."""
    customer = {k: (v or "").strip() for k, v in (customer or {}).items() if k in ("name", "email", "phone")}
    if len(customer.get("name", "")) > 120:
        raise ServiceError(_("The name is too long."), "customer_name")
    if customer.get("email"):
        try:
            customer["email"] = validate_email(customer["email"], check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            raise ServiceError(_("This e-mail address is not valid."), "customer_email") from None
    if customer.get("phone") and not _PHONE.match(customer["phone"]):
        raise ServiceError(_("This phone number is not valid."), "customer_phone")
    return {k: v for k, v in customer.items() if v}


def _aware(value):
    return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value


def _check_window(start, end, now, what):
    start, end = _aware(start), _aware(end)
    if start and now < start:
        raise ServiceError(_("Sales for %(what)s open at %(when)s.", what=what, when=datetime_local(start)))
    if end and now > end:
        raise ServiceError(_("Sales for %(what)s have closed.", what=what))


def price_sale(event, tiers, quantities, documents, now=None):
    """Lines, total and concession count of a sale from raw event/tier documents, with every rule checked.

    Used inside the sale transaction and for the POS preview, so both say exactly the same thing.
    """
    now = now or utcnow()
    if event is None:
        raise NotFound(_("Show not found."))
    if event.get("status") != "on_sale":
        raise ServiceError(_("This show is not on sale."))
    closes = sales_close_at(event["starts_at"], event["ends_at"], event.get("sales_end"))
    _check_window(event.get("sales_start"), closes, now, event["title"])
    if {t["_id"] for t in tiers} != set(quantities):
        raise NotFound(_("Ticket type not found."))
    lines, concession, count = [], 0, 0
    for tier in tiers:  # in the show's tier order
        tier_id, qty = tier["_id"], quantities[tier["_id"]]
        if tier["event"] != event["_id"]:
            raise ServiceError(_("%(tier)s is not a ticket type of this show.", tier=tier["name"]), "quantities")
        if not tier.get("active", True):
            raise ServiceError(_("%(tier)s is not on sale.", tier=tier["name"]), "quantities")
        _check_window(tier.get("sales_start"), tier.get("sales_end"), now, tier["name"])
        if tier.get("max_per_order") and qty > tier["max_per_order"]:
            raise ServiceError(_("At most %(n)d × %(tier)s per order.", n=tier["max_per_order"], tier=tier["name"]),
                               "quantities")
        if tier.get("is_concession"):
            if len(documents.get(tier_id, [])) != qty:
                raise ServiceError(_("Type one document number per %(tier)s ticket (%(n)d).", tier=tier["name"],
                                     n=qty), "documents")
            concession += qty
        count += qty
        lines.append({"ticket_type_id": tier_id, "name": tier["name"], "unit_price_cents": tier["price_cents"],
                      "quantity": qty, "subtotal_cents": tier["price_cents"] * qty,
                      "is_concession": bool(tier.get("is_concession"))})
    if count > event.get("max_per_order", 10):
        raise ServiceError(_("At most %(n)d tickets per order.", n=event.get("max_per_order", 10)), "quantities")
    return lines, sum(line["subtotal_cents"] for line in lines), concession


def load_show(event_id, quantities, session=None):
    """The raw event and the requested tiers (read in `session` when given)."""
    event = Event._get_collection().find_one({"_id": event_id}, session=session)
    tiers = list(TicketType._get_collection().find({"_id": {"$in": list(quantities)}}, session=session)
                 .sort([("sort", 1), ("_id", 1)]))
    return event, tiers


def _take(session, key, qty, label):
    """Conditional decrement: succeeds only when at least `qty` remain, else SoldOut with what is left."""
    counters = Inventory._get_collection()
    result = counters.update_one({"_id": key, "remaining": {"$gte": qty}},
                                 {"$inc": {"remaining": -qty, "sold": qty}}, session=session)
    if result.matched_count == 0:
        left = (counters.find_one({"_id": key}, {"remaining": 1}, session=session) or {}).get("remaining", 0)
        if left <= 0:
            raise SoldOut(_("Sold out: %(what)s.", what=label), "quantities")
        raise SoldOut(ngettext("Only %(num)d left: %(what)s.", "Only %(num)d left: %(what)s.", left, what=label),
                      "quantities")


def return_seats(session, event_id, lines):
    """Give tickets back to the show's counters inside `session` (the mirror of a sale: voids, failed payments).

    lines: [{"ticket_type_id", "quantity", "is_concession"}]. Callers make sure it happens once per ticket.
    """
    counters = Inventory._get_collection()

    def give(key, qty):
        if qty:
            counters.update_one({"_id": key, "sold": {"$gte": qty}}, {"$inc": {"remaining": qty, "sold": -qty}},
                                session=session)

    for line in lines:
        give(Inventory.tier_key(line["ticket_type_id"]), line["quantity"])
    give(Inventory.event_key(event_id), sum(line["quantity"] for line in lines))
    give(Inventory.concession_key(event_id), sum(line["quantity"] for line in lines if line.get("is_concession")))


def _charge_shift(session, seller, shift_id, payments, comps):
    """Add the sale to the seller's open shift; a seller's comps must fit their allowance for the shift."""
    query = {"_id": shift_id, "seller_id": seller.pk, "status": "open"}
    if comps and not seller.has_role("manager"):
        query["comps_given"] = {"$lte": (seller.comp_allowance or 0) - comps}
    result = Shift._get_collection().update_one(
        query, {"$inc": sale_increment(payments, comps)}, session=session)
    if result.matched_count == 0:
        if comps and not seller.has_role("manager"):
            raise ServiceError(_("Your complimentary allowance is %(n)d tickets per shift.",
                                 n=seller.comp_allowance or 0), "comp_reason")
        raise ServiceError(_("Open a cash shift before selling."), "shift")


def _order_number():
    today = datetime.now(zone(current_app.config.get("BABEL_DEFAULT_TIMEZONE")))
    return f"{today:%y%m%d}-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))


def _insert(session, document):
    document.validate()
    type(document)._get_collection().insert_one(document.to_mongo(), session=session)


def _sell_in(session, sale, seller, shift_id):
    existing = Order._get_collection().find_one({"idempotency_key": sale["key"]}, {"_id": 1}, session=session)
    if existing:
        return existing["_id"]
    event, tiers = load_show(sale["event_id"], sale["quantities"], session)
    lines, total, concession = price_sale(event, tiers, sale["quantities"], sale["documents"])
    payments = settle(total, sale["payments"])
    count = sum(line["quantity"] for line in lines)
    comps = count if payments and not METHODS[payments[0].method].money else 0
    _charge_shift(session, seller, shift_id, payments, comps)
    order = Order(id=ObjectId(), number=_order_number(), idempotency_key=sale["key"],
                  request_hash=sale["fingerprint"], event_id=event["_id"],
                  event_title=event["title"], ticket_count=count, comp_count=comps, total_cents=total,
                  lines=lines,
                  payments=payments, customer=sale["customer"] or None, seller_id=seller.pk, seller_name=seller.name,
                  shift_id=shift_id, status="pending", email_status="pending" if sale["customer"].get("email") else "none")
    _insert(session, order)
    aggregates.record_sale(session, order)  # issue 6: the report buckets move in this same transaction
    issue_tickets(session, order, lines, sale["documents"])
    _insert(session, OutboxMessage(kind="order.confirm", payload={"order_id": str(order.pk)}, order_number=order.number))
    record("sale", seller, session=session, target=order, event_id=event["_id"], order_number=order.number,
           after={"total_cents": total, "tickets": count, "payments": {p.method: p.amount_cents for p in payments}})
    # The show's counters are the one place every sale of the show meets: take them last, so each transaction
    # holds them for the shortest time before its commit (a sold-out refusal still aborts everything above).
    for line in lines:
        _take(session, Inventory.tier_key(line["ticket_type_id"]), line["quantity"], line["name"])
    _take(session, Inventory.event_key(event["_id"]), count, event["title"])
    if concession:
        _take(session, Inventory.concession_key(event["_id"]), concession, _("concession tickets"))
    return order.pk


def issue_tickets(session, order, lines, documents):
    """Insert one ticket per admission of `lines` (unguessable codes: 130 random bits); concession tickets carry
    their holder's document, from documents {ticket_type_id: [one per ticket]}."""
    tickets = []
    for line in lines:
        docs = list(documents.get(line["ticket_type_id"], [])) if line["is_concession"] else []
        for i in range(line["quantity"]):
            tickets.append(Ticket(code=ticket_codes.new_code(), order_id=order.pk, order_number=order.number,
                                  event_id=order.event_id, ticket_type_id=line["ticket_type_id"],
                                  tier_name=line["name"], price_cents=line["unit_price_cents"],
                                  holder_document=docs[i] if i < len(docs) else None))
    for ticket in tickets:
        ticket.validate()
    Ticket._get_collection().insert_many([t.to_mongo() for t in tickets], session=session)
    return tickets


def sell(seller, *, event_id, quantities, payments, idempotency_key, customer=None, documents=None):
    """Sell tickets of one show in ONE transaction and return the Order (pending until the worker confirms it).

    quantities {ticket_type_id: qty}; documents {ticket_type_id: [document per concession ticket]};
    payments: see payments.settle. Prices always come from the database. The same idempotency key again with the
    same request (double click, reload, retry, concurrent duplicates) returns the first order instead of selling
    twice; with a different request it is refused (KeyReused, 422).
    """
    key = (idempotency_key or "").strip()
    if not _KEY.match(key):
        raise ServiceError(_("The sale form expired. Reload the page and try again."))
    sale = {"key": key, "event_id": _object_id(event_id, _("Show not found.")),
            "quantities": _clean_quantities(quantities), "documents": clean_documents(documents),
            "customer": clean_customer(customer), "payments": payments}
    sale["fingerprint"] = request_fingerprint(sale)
    existing = existing_order(key, seller, sale["fingerprint"])
    if existing is not None:
        return existing
    shift = require_open_shift(seller)
    for attempt in range(3):
        try:
            order_id = db.run_in_transaction(_sell_in, sale, seller, shift.pk)
        except DuplicateKeyError:
            # A twin request with the same key committed first: that order is the answer.
            existing = existing_order(key, seller, sale["fingerprint"])
            if existing is not None:
                return existing
            if attempt == 2:  # else an order number collided: draw a new one
                raise
            continue
        # The key may have been taken between our look and the transaction's: the same check applies.
        return same_request(Order.objects.get(pk=order_id), seller, sale["fingerprint"])
