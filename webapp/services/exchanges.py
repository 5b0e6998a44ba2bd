"""Exchanges: tickets moved to another show or tier in ONE transaction — old seats back, new seats taken through
the inventory module, the price difference paid or given back — or nothing at all."""
import re

from bson import ObjectId
from flask_babel import gettext as _

from .. import db
from ..models import Inventory, Order, OutboxMessage, Refund, Ticket, TicketType
from ..models.order import NO_TICKET_LEFT
from . import Conflict, NotFound, ServiceError, aggregates, ledger, seats
from .audit import record
from .payments import settle
from .inventory import give_back_tickets, take_in, take_seats_in
from .refunds import (check_reason, check_references, count_in_reports, drawer_out, flip_to_void, order_status_after,
                      refund_entries, split_for)
from .sale_inputs import clean_documents
from .sales import charge_shift, issue_tickets, load_show, new_order_number, price_sale
from .shifts import current_shift

_KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def _old_tickets(session, order, codes):
    tickets = list(Ticket._get_collection().find({"order_id": order.pk, "code": {"$in": codes}}, session=session))
    if len(tickets) != len(codes):
        raise NotFound(_("Ticket not found in this order."))
    if any(t["status"] != "valid" for t in tickets):
        raise Conflict(_("Only valid tickets can be exchanged (one was already used or void)."), "tickets")
    flipped = flip_to_void(session, tickets)
    if len(flipped) != len(tickets):  # cannot happen inside the snapshot, but never exchange half an order
        raise Conflict(_("The order changed meanwhile. Reload the page and try again."))
    return tickets


def _take_new(session, ex, count, documents):
    event, tiers = load_show(ex["event_id"], {ex["tier_id"]: count}, session)
    lines, total, _concession = price_sale(event, tiers, {ex["tier_id"]: count}, documents)
    take_in(session, event["_id"], lines, event["title"])
    places = seats.for_new_tickets(session, event["_id"], tiers, lines, ex.get("seat_ids"))
    return event, lines, total, places


def _difference(session, ex, actor, order, difference):
    """Payments collected (difference > 0), or the split {method: cents} given back (difference < 0) on the
    methods the old order was paid with, and the references of those reversals, with the shift changes."""
    if difference > 0:
        payments = settle(difference, ex["payments"])
        shift = current_shift(actor)  # read outside: the conditional update below re-checks it is open
        charge_shift(session, actor, shift.pk if shift else None, payments, 0)
        return payments, shift.pk, {}, {}
    if difference < 0:
        back = split_for(order, -difference, ex["refund_split"])
        # Checked only now that money goes back: the form always sends its reference boxes, needed or not.
        references = check_references(back, ex["references"])
        if ledger.drawer_part(back):
            drawer_out(session, actor, ledger.drawer_part(back))
        return [], None, back, references
    return [], None, {}, {}


def _exchange_in(session, order_id, ex, actor):
    existing = Order._get_collection().find_one({"idempotency_key": ex["key"]}, {"_id": 1}, session=session)
    if existing:
        return existing["_id"]
    order = Order._from_son(Order._get_collection().find_one({"_id": order_id}, session=session))
    old = _old_tickets(session, order, ex["codes"])
    give_back_tickets(session, order, old)
    # A concession target needs a document per ticket: those typed, else those the old tickets carried.
    docs = ex["documents"] or [t.get("holder_document") for t in old if t.get("holder_document")]
    event, lines, total, places = _take_new(session, ex, len(old), {ex["tier_id"]: docs})
    holding = ledger.held(order)
    value = min(sum(t["price_cents"] for t in old), sum(holding.values()))
    payments, shift_id, back, references = _difference(session, ex, actor, order, total - value)
    # The credit carried to the new order keeps the methods it was paid with, so a later refund goes back on them.
    carried = ledger.allocate({m: c - back.get(m, 0) for m, c in holding.items()}, min(value, total))
    customer = order.customer
    new = Order(id=ObjectId(), number=new_order_number(), idempotency_key=ex["key"], event_id=event["_id"],
                event_title=event["title"], ticket_count=len(old), total_cents=total, lines=lines, payments=payments,
                credit_cents=min(value, total), credit_methods=carried, customer=customer, seller_id=actor.pk, seller_name=actor.name,
                shift_id=shift_id, status="pending", exchanged_from=order.number,
                email_status="pending" if customer and customer.email else "none")
    db.insert(session, new)
    take_seats_in(session, issue_tickets(session, new, lines, {lines[0]["ticket_type_id"]: docs}, places))
    # The new order goes through the sale's confirmation (its tickets e-mailed when the customer left an address).
    db.insert(session, OutboxMessage(kind="order.confirm", payload={"order_id": str(new.pk)}, order_number=new.number))
    codes = {t["code"]: t["price_cents"] for t in old}
    common = {"reason": ex["reason"], "ticket_codes": codes, "by": actor.pk, "kind": "exchange", "key": ex["key"]}
    refunds = [Refund(method="exchange", amount_cents=min(value, total), reference=new.number, methods=carried,
                      **common)]
    if back:
        refunds += refund_entries(back, references, "settled", **dict(common, ticket_codes={}))
    status = order_status_after(session, order, "exchange")
    Order._get_collection().update_one(
        {"_id": order.pk}, {"$inc": {"refunded_cents": value}, "$set": {"status": status},
                            "$push": {"refunds": {"$each": [r.to_mongo() for r in refunds]}}}, session=session)
    aggregates.record_sale(session, new)
    count_in_reports(session, order, refunds, old)
    record("exchange", actor, session=session, target=order, reason=ex["reason"], event_id=order.event_id,
           order_number=order.number, before={"tickets": sorted(codes), "status": order.status},
           after={"order": new.number, "event_id": str(event["_id"]), "tier": lines[0]["name"], "total_cents": total,
                  "credit_cents": value, "difference_cents": total - value,
                  **({"references": references} if references else {})})
    return new.pk


def mark_exchanged_orders():
    """Orders earlier versions stored as refunded though every ticket left by exchange (`flask init-db`): exchanged,
    as refunds.order_status_after names them now; returns how many."""
    only_exchanges = {"refunds.kind": "exchange", "refunds": {"$not": {"$elemMatch": {"kind": {"$ne": "exchange"}}}}}
    return Order._get_collection().update_many({"status": "refunded", **only_exchanges},
                                               {"$set": {"status": "exchanged"}}).modified_count


def exchange_tickets(manager, order, ticket_codes, *, event_id, tier_id, reason, idempotency_key, payments=None,
                     refund_split=None, refund_references=None, seat_ids=None, documents=None):
    """Move tickets of `order` (None: all its valid ones) to `tier_id` of show `event_id`; returns the new order
    (same key → same order).

    A dearer target is paid with `payments` (as in a sale); a cheaper one gives the difference back on the methods
    the order was paid with (`refund_split` {method: cents} when staff adjust it; card/Pix reversal references in
    `refund_references` {method: reference}). When the target has no room, or anything else is refused, nothing
    at all changes. On a seated target the new tickets take `seat_ids` (one each), else the best available seats;
    the old tickets' seats come back in the same transaction (so a ticket can move to another seat of its show).
    A concession target takes `documents` (one per ticket), else the documents of the old tickets.
    """
    if not manager.has_role("manager"):
        raise ServiceError(_("Only a manager can exchange tickets."))
    key = (idempotency_key or "").strip()
    if not _KEY.match(key):
        raise ServiceError(_("The form expired. Reload the page and try again."))
    if ticket_codes is None:  # none chosen: the order's valid tickets, as a refund takes all its live ones
        ticket_codes = Ticket.objects(order_id=order.pk, status="valid").distinct("code")
    codes = sorted({c.strip() for c in (ticket_codes or []) if c and c.strip()})
    if not codes:
        raise ServiceError(_("Select at least one ticket."), "tickets")
    if not ObjectId.is_valid(str(event_id or "")) or not ObjectId.is_valid(str(tier_id or "")):
        raise NotFound(_("Choose the show and ticket type to exchange for."))
    ex = {"key": key, "codes": codes, "event_id": ObjectId(str(event_id)), "tier_id": ObjectId(str(tier_id)),
          "reason": check_reason(reason), "payments": payments, "refund_split": refund_split or None,
          "references": refund_references or {}, "seat_ids": seat_ids,
          "documents": clean_documents({tier_id: documents}).get(ObjectId(str(tier_id))) if documents else None}
    done = Order.objects(idempotency_key=key).first()
    if done is not None:  # a retry of an exchange that went through: its order is the answer, not a refusal
        return done
    if order.status in NO_TICKET_LEFT:
        raise Conflict(_("This order has no valid tickets left."))
    new_id = db.run_in_transaction(_exchange_in, order.pk, ex, manager)
    return Order.objects.get(pk=new_id)


def exchange_targets():
    """[{event, tier_id, name, price_cents, left}] a ticket can be exchanged into: active tiers of shows on sale."""
    from .pos import shows_on_sale

    shows = {row["event"].pk: row for row in shows_on_sale()}  # soonest first
    soonest = {pk: i for i, pk in enumerate(shows)}
    # One show's tiers together, shows in date order: tiers are numbered per show, so `sort` alone interleaves them.
    tiers = sorted(TicketType.objects(event__in=list(shows), active=True).as_pymongo(),
                   key=lambda t: (soonest[t["event"]], t.get("sort", 0), t["_id"]))
    left = {c.key: c.remaining for c in Inventory.objects(event_id__in=list(shows), kind="tier")}
    return [{"event": shows[t["event"]]["event"], "tier_id": t["_id"], "name": t["name"], "price_cents": t["price_cents"],
             "left": min(left.get(Inventory.tier_key(t["_id"]), 0), shows[t["event"]]["remaining"])} for t in tiers]
