"""Voids, refunds and settling pending refunds: each one transaction that gives seats and money back ONCE.

A ticket leaves `valid` (or `used`, with a manager's override) through a conditional update, so a repeated
or concurrent request for the same ticket flips nothing the second time and returns nothing twice.
"""
import re
from collections import namedtuple

from flask_babel import gettext as _
from flask_babel import ngettext

from .. import db
from ..models import Event, Order, Refund, Shift, Ticket
from ..models.base import utcnow
from ..payment_methods import METHODS, REFUND_CODES
from ..timezones import as_utc
from . import Conflict, NotFound, ServiceError, aggregates, ledger
from .audit import record
from .inventory import give_back_tickets
from .shifts import current_shift
from .ticket_print import seat_order

_REFERENCE = re.compile(r"^[A-Za-z0-9._/-]{4,80}$")
_KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")

# The orders owing a refund. "refunds.status" repeats what $elemMatch says so that the planner sees the partial
# index `pending_refunds` (models/order.py) serves it: it holds only those orders, already in created_at order.
PENDING_REFUNDS = {"refunds.status": "pending",
                   "refunds": {"$elemMatch": {"status": "pending", "amount_cents": {"$gt": 0}}}}

# tickets: the codes flipped to void by this call; repeated: nothing changed (already done before).
Outcome = namedtuple("Outcome", "order tickets amount_cents refunds repeated")


def _select(session, order, codes, override):
    """The order's tickets this request may flip (void ones are skipped: already given back)."""
    query = {"order_id": order.pk, "status": {"$ne": "void"}}
    if codes is not None:
        query["code"] = {"$in": list(codes)}
        known = {t["code"] for t in Ticket._get_collection().find(
            {"order_id": order.pk, "code": {"$in": list(codes)}}, {"code": 1}, session=session)}
        if set(codes) - known:
            raise NotFound(_("Ticket not found in this order."))
    tickets = list(Ticket._get_collection().find(query, session=session))
    used = sum(t["status"] == "used" for t in tickets)
    if used and not override:
        raise ServiceError(ngettext("%(num)d ticket was already used at the door: a manager override with a reason "
                                    "is needed to refund it.",
                                    "%(num)d tickets were already used at the door: a manager override with a "
                                    "reason is needed to refund them.", used), "override")
    return tickets


def flip_to_void(session, tickets):
    """Void each ticket only if it is still in the state we read: returns the ones this call changed."""
    now, flipped = utcnow(), []
    collection = Ticket._get_collection()
    for ticket in tickets:
        result = collection.update_one({"_id": ticket["_id"], "status": ticket["status"]},
                                       {"$set": {"status": "void", "voided_at": now}}, session=session)
        if result.modified_count:
            flipped.append(ticket)
    return flipped


def split_for(order, amount, wanted=None):
    """How `amount` goes back over the methods the order was paid with: staff's split {method: cents} when given
    (checked against what each method holds), else the automatic one (cash first)."""
    holding = ledger.held(order)
    if wanted is None:
        return ledger.allocate(holding, amount)
    if isinstance(wanted, str):  # "all of it by this method"
        wanted = {wanted: amount}
    return ledger.check_split(holding, amount, wanted)


def refund_entries(split, references, status, **common):
    """One Refund entry per method of the split (a complimentary order: one entry of nothing). The tickets are
    listed on the first entry only: reports give them back once per entry naming them."""
    parts = split.items() if split else [("comp", 0)]
    # An entry of nothing (a complimentary order) has nothing to pay back: it is never pending.
    refunds = [Refund(method=m, amount_cents=c, reference=(references or {}).get(m), status=status if c else "settled",
                      **common) for m, c in parts]
    for extra in refunds[1:]:
        extra.ticket_codes = {}
    return refunds


def check_references(split, references):
    """Card reversals and Pix refunds need the reference the terminal or bank gave: {method: reference}."""
    clean = {}
    for method, cents in split.items():
        reference = ((references or {}).get(method) or "").strip() or None
        if cents and METHODS[method].reference_label:
            if not (reference and _REFERENCE.match(reference)):
                raise ServiceError(_("Type the reference of the card reversal or Pix refund."), f"reference_{method}")
            clean[method] = reference
    return clean


def _money_back(session, order, req, amount, codes):
    """The refund entries of this request, with the shift changes they imply."""
    common = {"reason": req["reason"], "ticket_codes": codes, "by": getattr(req["actor"], "pk", None), "at": utcnow(),
              "kind": req["kind"], "key": req["key"]}
    split = split_for(order, amount, req.get("split"))
    references = check_references(split, req.get("references")) if req["kind"] == "refund" else {}
    if req["kind"] == "refund" and ledger.drawer_part(split):
        drawer_out(session, req["actor"], ledger.drawer_part(split))
    if req["kind"] == "void":  # the sale is undone in the very shift it was made in
        inc = ledger.void_increment(order, split, len(codes) if order.comp_count else 0)
        result = Shift._get_collection().update_one({"_id": order.shift_id, "status": "open"}, {"$inc": inc},
                                                    session=session)
        if result.matched_count == 0:
            raise ServiceError(_("The shift of this sale is closed: a manager can refund it instead."))
    status = "pending" if req["kind"] == "cancellation" else "settled"
    return refund_entries(split, references, status, **common)


def drawer_out(session, actor, cents):
    """Cash paid out of `actor`'s drawer lowers the cash expected when their shift closes."""
    result = Shift._get_collection().update_one({"seller_id": actor.pk, "status": "open"},
                                                {"$inc": {"cash_refunds_cents": cents}}, session=session)
    if result.matched_count == 0:
        raise ServiceError(_("Open a cash shift to pay a refund from the drawer."), "method")


def count_in_reports(session, order, refunds, tickets):
    """The report aggregates, entry by entry exactly as aggregates.replay (the rebuild) reads them back."""
    for refund in refunds:
        returned = [t for t in tickets if t["code"] in (refund.ticket_codes or {})]
        aggregates.record_refund(session, order, returned, {refund.method: refund.amount_cents}, at=refund.at)


def order_status_after(session, order, kind):
    """voided / exchanged / refunded when no ticket of the order is left, partially_refunded otherwise."""
    live = Ticket._get_collection().count_documents({"order_id": order.pk, "status": {"$ne": "void"}}, session=session)
    if live:
        return "partially_refunded"
    if kind == "exchange" and all(r.kind == "exchange" for r in order.refunds):
        return "exchanged"  # every ticket moved to another order: no money went back, "refunded" misled
    return "voided" if kind == "void" and not order.refunds else "refunded"


def _reverse_in(session, order_id, req):
    raw = Order._get_collection().find_one({"_id": order_id}, session=session)
    order = Order._from_son(raw)
    done = [r for r in order.refunds if req["key"] and r.key == req["key"]]
    if done:
        return Outcome(order, sorted({c for r in done for c in r.ticket_codes}), sum(r.amount_cents for r in done),
                       done, True)
    if order.status == "failed":  # undone when its payment failed: no money came in, so none goes back
        if req["kind"] == "cancellation":
            return Outcome(order, [], 0, [], True)
        raise ServiceError(_("This sale was undone because its payment failed: there is nothing to refund."))
    flipped = flip_to_void(session, _select(session, order, req["codes"], req["override"]))
    if not flipped:
        return Outcome(order, [], 0, [], True)
    give_back_tickets(session, order, flipped)
    value = sum(t["price_cents"] for t in flipped)
    amount = min(value, sum(ledger.held(order).values()))
    codes = {t["code"]: t["price_cents"] for t in flipped}
    refunds = _money_back(session, order, req, amount, codes)
    status = order_status_after(session, order, req["kind"])
    Order._get_collection().update_one(
        {"_id": order.pk}, {"$inc": {"refunded_cents": amount}, "$set": {"status": status},
                            "$push": {"refunds": {"$each": [r.to_mongo() for r in refunds]}}}, session=session)
    count_in_reports(session, order, refunds, flipped)
    used = [t["code"] for t in flipped if t["status"] == "used"]
    after = {"status": status, "amount_cents": amount, "tickets": sorted(codes),
             "methods": {r.method: r.amount_cents for r in refunds if r.amount_cents}}
    if any(r.reference for r in refunds):  # which card reversal / Pix refund paid it, for the auditor's match
        after["references"] = {r.method: r.reference for r in refunds if r.reference}
    record(req["kind"], req["actor"], session=session, target=order, reason=req["reason"], event_id=order.event_id,
           order_number=order.number, before={"status": order.status, "refunded_cents": order.refunded_cents},
           after=after)
    if used:
        record("refund.override", req["actor"], session=session, target=order, reason=req["override_reason"],
               event_id=order.event_id, order_number=order.number, after={"used_tickets": used})
    return Outcome(order, sorted(codes), amount, refunds, False)


def reverse(order, kind, actor, *, codes=None, split=None, references=None, reason=None, override=False,
            override_reason=None, key=None):
    """Run one void/refund/cancellation in its own transaction and return the Outcome with the order reloaded."""
    req = {"kind": kind, "actor": actor, "codes": codes, "split": split, "references": references, "reason": reason,
           "override": override, "override_reason": override_reason, "key": key}
    outcome = db.run_in_transaction(_reverse_in, order.pk, req)
    return outcome._replace(order=Order.objects.get(pk=order.pk))


def _codes(ticket_codes):
    if ticket_codes is None:
        return None
    codes = sorted({c.strip() for c in ticket_codes if c and c.strip()})
    if not codes:
        raise ServiceError(_("Select at least one ticket."), "tickets")
    return codes


def _key(idempotency_key):
    key = (idempotency_key or "").strip() or None
    if key is not None and not _KEY.match(key):
        raise ServiceError(_("The form expired. Reload the page and try again."))
    return key


def void_tickets(seller, order, ticket_codes=None, *, idempotency_key=None):
    """Void the order (or some of its tickets) in the seller's open shift it was sold in, before the show starts."""
    shift = current_shift(seller)
    if shift is None or order.shift_id != shift.pk:
        raise ServiceError(_("Only sales of your open shift can be voided. Ask a manager for a refund."))
    event = Event.objects(pk=order.event_id).only("starts_at").first()
    if event is None or as_utc(event.starts_at) <= utcnow():
        raise ServiceError(_("The show has started: tickets can no longer be voided."))
    # No stored reason: the page names a void in the reader's language ("kind" says what it was).
    return reverse(order, "void", seller, codes=_codes(ticket_codes), key=_key(idempotency_key))


def check_refund_method(method, reference):
    """A refund method the box office can pay with (card and Pix need the reversal reference)."""
    if method not in REFUND_CODES:
        raise ServiceError(_("Choose how the money goes back: cash, card or Pix."), "method")
    return check_references({method: 1}, {method: reference}).get(method)


def check_reason(reason, field="reason"):
    reason = (reason or "").strip()
    if not 3 <= len(reason) <= 500:
        raise ServiceError(_("Say why (3 to 500 characters)."), field)
    return reason


def _check_not_over(order):
    event = Event.objects(pk=order.event_id).only("ends_at").first()
    if event is None or as_utc(event.ends_at) <= utcnow():
        raise ServiceError(_("The show is over: it can no longer be refunded."))


def refund_tickets(manager, order, ticket_codes=None, *, reason, split=None, references=None, method=None,
                   reference=None, override_used=False, override_reason=None, idempotency_key=None):
    """Refund the order (or some tickets) before the show ends, on the methods it was paid with; used tickets only
    with a manager's override.

    split {method: cents} as staff adjusted it (None: the automatic split); `method` sends it all by one method
    (refused when that method did not take that much); references {method: card reversal / Pix refund reference}.
    """
    if not manager.has_role("manager"):
        raise ServiceError(_("Only a manager can refund."))
    reason = check_reason(reason)
    if method is not None:
        if method not in REFUND_CODES:
            raise ServiceError(_("Choose how the money goes back: cash, card or Pix."), "method")
        split, references = method, {method: reference, **(references or {})}
    if override_used:
        override_reason = check_reason(override_reason, "override_reason")
    _check_not_over(order)
    return reverse(order, "refund", manager, codes=_codes(ticket_codes), split=split, references=references,
                   reason=reason, override=bool(override_used), override_reason=override_reason,
                   key=_key(idempotency_key))


def refund_preview(order, ticket_codes=None, *, reason, override_used=False, override_reason=None):
    """What refunding these tickets (all live ones when none given) would give back, and its automatic split per
    method, for staff to check or adjust before confirming: {tickets, amount, holding, split}."""
    check_reason(reason)
    if override_used:
        check_reason(override_reason, "override_reason")
    _check_not_over(order)  # said at the first step, not after the split and references were typed
    tickets = _select(None, order, _codes(ticket_codes), override_used)  # the same choice the refund will make
    if not tickets:
        raise ServiceError(_("This order has no valid tickets left."), "tickets")
    holding = ledger.held(order)
    amount = min(sum(t["price_cents"] for t in tickets), sum(holding.values()))
    # As documents in seat order, for the confirmation to name each ticket and its seat as the order page does.
    listed = sorted((Ticket._from_son(t) for t in tickets), key=lambda t: seat_order(t.seat))
    return {"tickets": listed, "amount": amount, "holding": holding, "split": ledger.allocate(holding, amount)}


def pending_refunds(limit=200):
    """Refunds recorded as pending (cancelled shows) with money to pay back: [(order, index, refund)], oldest first
    (an entry of nothing recorded pending before that rule is no work for anyone)."""
    found = Order.objects(__raw__=PENDING_REFUNDS).order_by("created_at").limit(limit)
    return [(order, i, r) for order in found for i, r in enumerate(order.refunds)
            if r.status == "pending" and r.amount_cents]


def _settle_in(session, order_id, index, actor, reference):
    raw = Order._get_collection().find_one({"_id": order_id}, session=session)
    refund = Order._from_son(raw).refunds[index] if raw and index < len(raw.get("refunds", [])) else None
    if refund is None:
        raise NotFound(_("Refund not found."))
    changes = {f"refunds.{index}.status": "settled", f"refunds.{index}.settled_at": utcnow(),
               f"refunds.{index}.settled_by": actor.pk}
    if reference:
        changes[f"refunds.{index}.reference"] = reference
    result = Order._get_collection().update_one({"_id": order_id, f"refunds.{index}.status": "pending"},
                                                {"$set": changes}, session=session)
    if result.modified_count == 0:
        raise Conflict(_("This refund was already settled."))
    if ledger.drawer_part({refund.method: refund.amount_cents}):
        drawer_out(session, actor, refund.amount_cents)
    record("refund.settle", actor, session=session, order_number=raw["number"], event_id=raw["event_id"],
           after={"method": refund.method, "amount_cents": refund.amount_cents, "reference": reference})


def settle_refund(manager, order_number, index, reference=None):
    """Mark a pending refund paid (cash from the manager's drawer; card/Pix with the reversal reference)."""
    order = Order.objects(number=(order_number or "").strip().upper()).first()
    if order is None or not isinstance(index, int) or not 0 <= index < len(order.refunds):
        raise NotFound(_("Refund not found."))
    reference = check_refund_method(order.refunds[index].method, reference) if order.refunds[index].method in REFUND_CODES \
        else None
    db.run_in_transaction(_settle_in, order.pk, index, manager, reference)
    return Order.objects.get(pk=order.pk)
