"""Report aggregates, kept in the SAME transaction as every sale, void and refund (models/aggregates.py).

Call, inside the transaction that moves the money (pass its session):
  record_sale(session, order)                            after inserting a new order (sale, exchange)
  record_refund(session, order, tickets, amounts, at)    each Refund entry pushed on an order (void, refund,
                                                         exchange, cancellation): its tickets and {method: cents}
  record_void(session, order, at, tickets)               an order released without a Refund entry (failed payment)
`rebuild()` (flask rebuild-aggregates) recomputes every bucket from the orders with this same code.

The UTC-hour figures of the dashboard's last-24-hours chart ride in the day bucket the event already moves
(`hours.<YYYY-MM-DDTHH>.{sold, returned, gross_cents, refunds_cents}`), so each transaction writes ONE bucket
document per (local day, show, seller) in one command, not a second collection.
"""
from collections import Counter
from datetime import timezone

from flask import current_app
from pymongo import UpdateOne

from ..models import Order, SalesDay, Ticket
from ..payment_methods import EXCHANGE, MONEY_CODES
from ..models.base import utcnow
from ..timezones import to_local

BATCH = 5000


def app_zone():
    """The venue/app time zone whose calendar days the reports use."""
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "America/Sao_Paulo"


def local_day(at, tz_name):
    """The local calendar day (ISO string) of a UTC instant."""
    return to_local(at, tz_name).strftime("%Y-%m-%d")


def hour_start(at):
    """The UTC hour an instant falls in."""
    at = at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)
    return at.replace(minute=0, second=0, microsecond=0)


def hour_key(at):
    """The key of an instant's UTC hour inside a day bucket's `hours` (no dot: it is a field name)."""
    return f"{hour_start(at):%Y-%m-%dT%H}"


def _plain(doc):
    """A raw dict for an Order/Ticket document or an embedded document; dicts pass through."""
    if doc is None or isinstance(doc, dict):
        return doc
    return doc.to_mongo().to_dict()


def is_comp(order):
    return any(_plain(p)["method"] not in MONEY_CODES for p in order.get("payments") or [])


def _split(total, weights):
    """`total` cents shared in proportion to `weights` (whole cents; the last takes the rounding)."""
    if not weights:
        return []
    base = sum(weights)
    shares = [total * w // base if base else total // len(weights) for w in weights]
    shares[-1] += total - sum(shares)
    return shares


class Buckets:
    """The `$inc` of each day bucket (with its hour entries) for a batch of sales, voids and refunds."""

    def __init__(self, tz_name):
        self.tz = tz_name
        self.days = {}

    def _buckets(self, at, event_id, seller_id):
        """The day bucket's `$inc` and the field prefix of its entry for the UTC hour of `at`."""
        day = local_day(at, self.tz)
        key = f"{day}:{event_id}:{seller_id}"
        if key not in self.days:
            self.days[key] = ({"day": day, "event_id": event_id, "seller_id": seller_id}, Counter())
        return self.days[key][1], f"hours.{hour_key(at)}."

    def sale(self, order):
        """Count a new order on the day and hour it was made."""
        order = _plain(order)
        comp = is_comp(order)
        day, hour = self._buckets(order["created_at"], order["event_id"], order["seller_id"])
        lines = [_plain(line) for line in order.get("lines") or []]
        count = sum(line["quantity"] for line in lines)
        gross = 0 if comp else order["total_cents"]
        day.update(orders=1, sold=count, comps=count if comp else 0, gross_cents=gross)
        for line in lines:
            tier = f"tiers.{line['ticket_type_id']}."
            day[tier + "sold"] += line["quantity"]
            day[tier + ("comps" if comp else "gross_cents")] += line["quantity"] if comp else line["subtotal_cents"]
        for payment in order.get("payments") or []:
            payment = _plain(payment)
            if payment["method"] in MONEY_CODES:
                day[f"methods.{payment['method']}.payments"] += 1
                day[f"methods.{payment['method']}.in_cents"] += payment["amount_cents"]
        if order.get("credit_cents"):  # value brought from an exchanged order: its refund "exchange" took it out
            day["methods.exchange.payments"] += 1
            day["methods.exchange.in_cents"] += order["credit_cents"]
        day[hour + "sold"] += count
        day[hour + "gross_cents"] += gross

    def give_back(self, order, tickets, amounts, at):
        """Count returned tickets and the money handed back ({method: cents}) on the day it happened."""
        order = _plain(order)
        tickets = [_plain(t) for t in tickets]
        amounts = {m: c for m, c in (amounts or {}).items() if c and m in MONEY_CODES + (EXCHANGE,)}
        total = sum(amounts.values())
        day, hour = self._buckets(at, order["event_id"], order["seller_id"])
        day.update(returned=len(tickets), refunds_cents=total)
        for ticket, share in zip(tickets, _split(total, [t["price_cents"] for t in tickets])):
            tier = f"tiers.{ticket['ticket_type_id']}."
            day[tier + "returned"] += 1
            day[tier + "refunds_cents"] += share
        if not tickets and total:  # money alone (e.g. an exchange's difference): shared over the order's lines
            lines = [_plain(line) for line in order.get("lines") or []]
            for line, share in zip(lines, _split(total, [line["subtotal_cents"] for line in lines])):
                day[f"tiers.{line['ticket_type_id']}.refunds_cents"] += share
        for method, cents in amounts.items():
            day[f"methods.{method}.out_cents"] += cents
        day[hour + "returned"] += len(tickets)
        day[hour + "refunds_cents"] += total

    def void(self, order, at, tickets=None):
        """A whole order cancelled: its tickets (default: all of them) and whatever money is left on it."""
        order = _plain(order)
        if tickets is None:
            tickets = [{"ticket_type_id": line["ticket_type_id"], "price_cents": line["unit_price_cents"]}
                       for line in map(_plain, order.get("lines") or []) for _ in range(line["quantity"])]
        self.give_back(order, tickets, money_left(order), at)

    def write(self, session=None):
        """Apply every bucket's `$inc` (upserting new buckets), inside `session` when given."""
        ops = [UpdateOne({"_id": key}, {"$setOnInsert": fields, "$inc": {k: v for k, v in inc.items() if v}},
                         upsert=True) for key, (fields, inc) in self.days.items() if any(inc.values())]
        for start in range(0, len(ops), BATCH):
            SalesDay._get_collection().bulk_write(ops[start:start + BATCH], ordered=False, session=session)
        self.days = {}


def money_left(order):
    """{method: cents} still held on the order: payments (not complimentary) minus refunds already made."""
    order = _plain(order)
    left = Counter()
    for payment in map(_plain, order.get("payments") or []):
        if payment["method"] in MONEY_CODES:
            left[payment["method"]] += payment["amount_cents"]
    for refund in map(_plain, order.get("refunds") or []):
        left[refund["method"]] -= refund["amount_cents"]
    return {m: c for m, c in left.items() if c > 0}


def record_sale(session, order):
    """Add a new order to the report buckets, inside the sale's transaction."""
    buckets = Buckets(app_zone())
    buckets.sale(order)
    buckets.write(session)


def record_void(session, order, at=None, tickets=None):
    """Take a cancelled order (void, failed payment) out of the figures as of `at`, inside its transaction.

    Call it with the order as it was BEFORE this cancellation (refunds made earlier are not given back twice);
    `tickets` ({ticket_type_id, price_cents} each) defaults to all of the order's tickets.
    """
    buckets = Buckets(app_zone())
    buckets.void(order, at or utcnow(), tickets)
    buckets.write(session)


def record_refund(session, order, tickets, amounts, at=None):
    """Count a refund, inside its transaction: `tickets` returned ({ticket_type_id, price_cents} each, may be
    empty for a money-only refund) and `amounts` {method: cents} handed back."""
    buckets = Buckets(app_zone())
    buckets.give_back(order, tickets, amounts, at or utcnow())
    buckets.write(session)


def _refund_tickets(order, refund, tickets_by_code):
    codes = refund.get("ticket_codes") or {}
    return [tickets_by_code[c] for c in codes if c in tickets_by_code]


def replay(buckets, order, tickets_by_code):
    """Feed one stored order's whole story (sale, refunds, void) into `buckets` — the rebuild's oracle."""
    buckets.sale(order)
    history = dict(order, refunds=[])
    for refund in sorted(order.get("refunds") or [], key=lambda r: r.get("at") or order["created_at"]):
        buckets.give_back(order, _refund_tickets(order, refund, tickets_by_code),
                          {refund["method"]: refund["amount_cents"]}, refund.get("at") or order["created_at"])
        history["refunds"].append(refund)
    if order.get("status") == "failed":  # released by the saga: no refund entry, the rest of the order goes
        at = order.get("released_at") or order["created_at"]
        refunded = {c for r in order.get("refunds") or [] for c in (r.get("ticket_codes") or {})}
        # Tickets used at the door before the release stay used: not returned.
        left = [t for c, t in tickets_by_code.items() if c not in refunded and t.get("status") != "used"]
        before = dict(order, refunds=[r for r in history["refunds"] if (r.get("at") or at) <= at])
        buckets.void(before, at, left)


def rebuild():
    """Recompute every bucket from the orders (run while no sale is being made); returns orders replayed."""
    SalesDay._get_collection().delete_many({})
    buckets, count, batch = Buckets(app_zone()), 0, []
    for order in Order._get_collection().find({}).sort("_id", 1):
        batch.append(order)
        if len(batch) >= 1000:
            count += _replay_batch(buckets, batch)
            batch = []
    count += _replay_batch(buckets, batch)
    buckets.write()
    return count


def _replay_batch(buckets, orders):
    needs_tickets = [o["_id"] for o in orders if o.get("refunds") or o.get("status") == "failed"]
    by_order = {}
    if needs_tickets:
        for ticket in Ticket._get_collection().find({"order_id": {"$in": needs_tickets}},
                                                     {"code": 1, "order_id": 1, "ticket_type_id": 1,
                                                      "price_cents": 1, "status": 1}):
            by_order.setdefault(ticket["order_id"], {})[ticket["code"]] = ticket
    for order in orders:
        replay(buckets, order, by_order.get(order["_id"], {}))
    if len(buckets.days) > 50_000:
        buckets.write()
    return len(orders)
