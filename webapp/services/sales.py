"""The box-office sale: hold the places (services/inventory.py), then one transaction turns the hold into the
order with its money — never oversold, and concurrent sellers of one show never abort each other."""
import re
import time
from datetime import datetime

from bson import ObjectId
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pymongo.errors import DuplicateKeyError

from .. import db
from ..i18n import datetime_local
from ..models import Event, Order, OutboxMessage, Shift, Ticket, TicketType
from ..models.base import utcnow
from ..payment_methods import METHODS
from ..timezones import as_utc, zone
from . import Busy, NotFound, ServiceError, aggregates, inventory, seats, ticket_codes
from .inventory import SoldOut  # noqa: F401  (callers catch sales.SoldOut)
from .audit import record
from .events import sales_close_at
from .payments import settle
from .ledger import sale_increment
from .sale_inputs import clean_customer, clean_documents, clean_quantities, object_id
from .sale_keys import existing_order, request_fingerprint, same_request
from .shifts import current_shift, require_open_shift

_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread over the counter
_KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def _check_window(start, end, now, what):
    start, end = as_utc(start), as_utc(end)
    if start and now < start:
        raise ServiceError(_("Sales for %(what)s open at %(when)s.", what=what, when=datetime_local(start)))
    if end and now > end:
        raise ServiceError(_("Sales for %(what)s have closed.", what=what))


def price_sale(event, tiers, quantities, documents, now=None):
    """Lines, total and concession count of a sale from raw event/tier documents, with every rule checked.

    Used inside the sale transaction, for the hold and for the POS preview, so all say exactly the same thing
    (documents None: the concession documents are not checked yet, as when places are held).
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
            if documents is not None and len(documents.get(tier_id, [])) != qty:
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
    """The raw event and the requested tiers in the show's order, in one round trip (read in `session` when given);
    (None, []) when there is no such show. Whether each tier is the show's is price_sale's to check."""
    asked = {"$match": {"_id": {"$in": list(quantities)}}}
    event = next(Event._get_collection().aggregate([
        {"$match": {"_id": event_id}},
        {"$lookup": {"from": TicketType._get_collection_name(), "as": _ASKED_TIERS,
                     "pipeline": [asked, {"$sort": {"sort": 1, "_id": 1}}]}},
    ], session=session), None)
    return (None, []) if event is None else (event, event.pop(_ASKED_TIERS))


_ASKED_TIERS = "_asked_tiers"  # not a field of Event: where load_show's look-up puts the tiers


def charge_shift(session, seller, shift_id, payments, comps):
    """Add the sale to the seller's open shift (`shift_id`, or whichever is open when None) and return its id; a
    seller's comps must fit their allowance for the shift."""
    query = {"seller_id": seller.pk, "status": "open"}
    if shift_id is not None:
        query["_id"] = shift_id
    if comps and not seller.has_role("manager"):
        query["comps_given"] = {"$lte": (seller.comp_allowance or 0) - comps}
    raw = Shift._get_collection().find_one_and_update(
        query, {"$inc": sale_increment(payments, comps)}, projection={"_id": 1}, session=session)
    if raw is None:
        if comps and not seller.has_role("manager") and current_shift(seller) is not None:
            raise ServiceError(_("Your complimentary allowance is %(n)d tickets per shift.",
                                 n=seller.comp_allowance or 0), "comp_reason")
        raise ServiceError(_("Open a cash shift before selling."), "shift")
    return raw["_id"]


def new_order_number():
    """A fresh order number: the venue's date and 6 characters that cannot be misread over the counter."""
    today = datetime.now(zone(current_app.config.get("BABEL_DEFAULT_TIMEZONE")))
    return f"{today:%y%m%d}-" + ticket_codes.random_text(_NUMBER_ALPHABET, 6)


def _sell_in(session, sale, seller, hold_id):
    """The money transaction: the order with its tickets, shift, report buckets, outbox and audit, and the hold
    converted. Everything it needs was read and checked before (the fence on the hold guards the show's status)."""
    lines, total, payments = sale["lines"], sale["total"], sale["settled"]
    count = sum(line["quantity"] for line in lines)
    comps = count if payments and not METHODS[payments[0].method].money else 0
    shift_id = charge_shift(session, seller, None, payments, comps)
    event = sale["event"]
    order = Order(id=ObjectId(), number=new_order_number(), idempotency_key=sale["key"],
                  request_hash=sale["fingerprint"], event_id=event["_id"], event_title=event["title"],
                  ticket_count=count, comp_count=comps, total_cents=total, lines=lines, payments=payments,
                  customer=sale["customer"] or None, seller_id=seller.pk, seller_name=seller.name, shift_id=shift_id,
                  status="pending", email_status="pending" if sale["customer"].get("email") else "none")
    aggregates.record_sale(session, db.insert(session, order))  # issue 6: the report buckets, same transaction
    held = seats.held_by({"event_id": event["_id"], "seats": sale["seats"]}, session)
    order.issued_tickets = issue_tickets(session, order, lines, sale["documents"],  # see orders.tickets_of
                                         seats.assign(sale["tiers"], lines, held))
    db.insert_raw(session, OutboxMessage, {"kind": "order.confirm", "payload": {"order_id": str(order.pk)},
                                           "order_number": order.number})
    record("sale", seller, session=session, target=order, event_id=event["_id"], order_number=order.number,
           after={"total_cents": total, "tickets": count, "payments": {p.method: p.amount_cents for p in payments}})
    # Last, so the hold is locked for the shortest time; the places were taken with it: no counter is written
    # here, so concurrent sales of one show share no document and never abort each other.
    inventory.convert_in(session, hold_id, seller, order.pk, tickets=order.issued_tickets)
    return order


def issue_tickets(session, order, lines, documents, seats_in_order=None):
    """Insert one ticket per admission of `lines` (unguessable codes: 130 random bits); concession tickets carry
    their holder's document, from documents {ticket_type_id: [one per ticket]}; on a seated show each ticket its
    seat, from `seats_in_order` (one per ticket, services/seats.py assign)."""
    tickets, places = [], iter(seats_in_order or ())
    for line in lines:
        docs = list(documents.get(line["ticket_type_id"], [])) if line["is_concession"] else []
        for i in range(line["quantity"]):
            place = next(places, None)
            tickets.append(Ticket(id=ObjectId(), code=ticket_codes.new_code(), order_id=order.pk,
                                  order_number=order.number, event_id=order.event_id,
                                  seat=seats.ticket_seat(place) if place else None,
                                  ticket_type_id=line["ticket_type_id"], tier_name=line["name"],
                                  price_cents=line["unit_price_cents"],
                                  holder_document=docs[i] if i < len(docs) else None))
    for ticket in tickets:
        ticket.validate()
    Ticket._get_collection().insert_many([t.to_mongo() for t in tickets], session=session)
    return tickets


# How long a try waits for its twin (same key) to finish taking its hold: well inside the request's database bound,
# so a twin whose request died answers 503 "try again" (held_with_key gives its hold up once it is surely dead).
TWIN_WAIT_SECONDS = 3


def _sale_hold(seller, sale, session):
    """A fresh hold carrying the sale's key, taken in `session`; a twin request (same key) in flight → its order
    once it commits."""
    deadline = time.monotonic() + TWIN_WAIT_SECONDS
    while True:
        try:
            return _take_hold(seller, sale["event"], sale["tiers"], sale["lines"], sale["key"], sale.get("seat_ids"),
                              session)
        except DuplicateKeyError:
            existing = existing_order(sale["key"], seller, sale["fingerprint"])
            if existing is not None:
                return existing
            orphan = inventory.held_with_key(sale["key"], seller)  # its request died between hold and sale?
            if orphan is not None and orphan.status == "held":
                return orphan  # safe even if it lives on: a hold converts once, in one transaction
            if time.monotonic() > deadline:  # its request may have died mid-take: given up after a while
                raise Busy(_("An earlier try of this sale is still being processed; nothing more was sold. "
                             "Try again in a moment."))
            time.sleep(0.05)  # the twin's hold is being taken, converted or released: look again


def _held_for(seller, sale, hold_id):
    """The seller's hold `hold_id`, which must hold exactly this sale's tickets."""
    hold = inventory.find_hold(object_id(hold_id, _l("Hold not found.")), seller)
    if hold is None:
        raise NotFound(_("Hold not found."))
    if hold.event_id != sale["event_id"] or \
            {line["ticket_type_id"]: line["quantity"] for line in hold.lines} != sale["quantities"]:
        raise ServiceError(_("The tickets chosen are not the ones held. Choose them again."), "quantities")
    if sale.get("seat_ids") is not None and sorted(hold.seats) != sorted(seats.clean_ids(sale["seat_ids"])):
        raise ServiceError(_("The seats chosen are not the ones held. Choose them again."), "seats")
    return hold


def hold_places(seller, *, event_id, quantities, key=None, seat_ids=None):
    """Hold places of one show for the seller while the customer pays (HOLD_SECONDS); SoldOut when short.

    Every rule of the sale but the payment and the concession documents is checked first. On a seated show the
    hold takes `seat_ids` (one per ticket, in the tiers' zones) or else the best available seats."""
    event_oid = object_id(event_id, _l("Show not found."))
    quantities = clean_quantities(quantities)
    require_open_shift(seller)
    event, tiers = load_show(event_oid, quantities)
    lines, _total, _concession = price_sale(event, tiers, quantities, None)
    return _take_hold(seller, event, tiers, lines, key, seat_ids)


def _take_hold(seller, event, tiers, lines, key, seat_ids, session=None):
    """The inventory's hold of the sale's `lines` (and, on a seated show, of `seat_ids` or the best available);
    `session`: the sale's, converting it at once (inventory.take_hold for_sale)."""
    held = [{k: line[k] for k in ("ticket_type_id", "name", "quantity", "is_concession")} for line in lines]
    if seat_ids is None and any(t.get("zone") for t in tiers):
        # By count on a seated show: "only N left" is the answer, not "no N seats in the zone" from best available.
        short = inventory.shortfall(event["_id"], held, event["title"])
        if short is not None:
            raise short
    return seats.hold_with(lambda sids: inventory.take_hold(seller, event, held, key, for_sale=session, seats=sids),
                           event["_id"], tiers, held, seat_ids)


def sell(seller, *, event_id, quantities, payments, idempotency_key, customer=None, documents=None, hold_id=None,
         seat_ids=None):
    """Sell tickets of one show and return the Order (pending until the worker confirms it): hold the places
    (or use the seller's hold `hold_id`), then one transaction turns the hold into the order with its money.

    quantities {ticket_type_id: qty}; documents {ticket_type_id: [document per concession ticket]};
    payments: see payments.settle; seat_ids: the seats of a seated show (else the best available ones). Prices
    always come from the database. The same idempotency key again with the
    same request (double click, reload, retry, concurrent duplicates) returns the first order instead of selling
    twice; with a different request it is refused (KeyReused, 422). A hold this call took is released when the
    sale fails; a hold given by the caller is kept for another try (a wrong payment, say).
    """
    key = (idempotency_key or "").strip()
    if not _KEY.match(key):
        raise ServiceError(_("The sale form expired. Reload the page and try again."))
    sale = {"key": key, "event_id": object_id(event_id, _l("Show not found.")),
            "quantities": clean_quantities(quantities), "documents": clean_documents(documents),
            "customer": clean_customer(customer), "payments": payments, "seat_ids": seat_ids}
    sale["fingerprint"] = request_fingerprint(sale)
    try:
        return _sell(seller, sale, hold_id)
    except ServiceError:
        # A key that already sold (a retry after the show closed, say) answers with its order, looked up only
        # now: a fresh key, the usual case, costs no look-up.
        existing = existing_order(key, seller, sale["fingerprint"])
        if existing is None:
            raise
        return existing


def _sell(seller, sale, hold_id):
    # Read once, outside the transaction: a status change after this bumps the hold's fence (convert_in refuses).
    sale["event"], sale["tiers"] = load_show(sale["event_id"], sale["quantities"])
    sale["lines"], sale["total"], _concession = price_sale(sale["event"], sale["tiers"], sale["quantities"],
                                                           sale["documents"])
    sale["settled"] = settle(sale["total"], sale["payments"])
    # One causally consistent session for the hold and the transaction: the transaction sees the hold's w:1 writes.
    with db.client().start_session() as session:
        hold = _held_for(seller, sale, hold_id) if hold_id else _sale_hold(seller, sale, session)
        if isinstance(hold, Order):
            return hold
        return _convert(seller, sale, hold, hold_id, session)


def _convert(seller, sale, hold, hold_id, session):
    """The transaction against the hold; the hold released when it fails (unless the caller's)."""
    sale["seats"] = hold.seats
    try:
        order, fresh = _commit_sale(sale, seller, hold.pk, session)
    except BaseException as exc:
        if not hold_id:
            inventory.release(hold.pk, takes=hold.takes, seated=bool(hold.seats))
        # HoldGone after a double click with the caller's hold: the twin request converted it first.
        existing = existing_order(sale["key"], seller, sale["fingerprint"]) \
            if isinstance(exc, inventory.HoldGone) else None
        if existing is None:
            raise
        return existing
    if fresh:
        inventory.tidy(hold.pk, hold.takes)
        return order
    if not hold_id:
        inventory.release(hold.pk, takes=hold.takes, seated=bool(hold.seats))  # the key had sold meanwhile: this call's hold is not needed
    # The key was taken between our look and the transaction's: the same check applies.
    return same_request(order, seller, sale["fingerprint"])


def _commit_sale(sale, seller, hold_id, session):
    """(order, whether this call sold it): the transaction, or the twin's order when its key committed first."""
    for attempt in range(3):
        try:
            return db.transaction(session, _sell_in, sale, seller, hold_id), True
        except DuplicateKeyError:
            existing = Order.objects(idempotency_key=sale["key"]).first()
            if existing is not None:
                return existing, False
            if attempt == 2:  # else an order number collided: draw a new one
                raise
