"""Money per method: the one place that adds up what came in, what an order still holds, how a give-back splits
over the methods it came in on, and what a shift's running totals move by.

Works on MongoEngine documents and on raw dicts alike (transactions read raw documents).
"""
from collections import Counter

from flask_babel import gettext as _

from ..i18n import money
from ..payment_methods import EXCHANGE, METHODS, MONEY_CODES
from . import ServiceError


def _get(doc, key, default=None):
    value = doc.get(key) if isinstance(doc, dict) else getattr(doc, key, None)
    return default if value is None else value


def paid(order):
    """{method: cents} that came in for the order: captured money payments plus the credit an exchange brought
    (on the methods the old order was paid with; an old credit without that breakdown counts as cash)."""
    total = Counter()
    for p in _get(order, "payments", []):
        if _get(p, "method") in MONEY_CODES:
            total[_get(p, "method")] += _get(p, "amount_cents", 0)
    credit = _get(order, "credit_cents", 0)
    if credit:
        total.update(_get(order, "credit_methods", {}) or {"cash": credit})
    return total


def given_back(refund, order=None):
    """{method: cents} one refund entry took off the order (an exchange's entry: the methods its credit left by)."""
    if _get(refund, "method") == EXCHANGE:
        return Counter(_get(refund, "methods", {}))
    if _get(refund, "method") in MONEY_CODES:
        return Counter({_get(refund, "method"): _get(refund, "amount_cents", 0)})
    return Counter()


def held(order):
    """{method: cents} the order still holds: what came in less every give-back, never below zero."""
    left = paid(order)
    for refund in _get(order, "refunds", []):
        left.subtract(given_back(refund))
    return {m: c for m in MONEY_CODES if (c := left.get(m, 0)) > 0}


def allocate(holding, amount):
    """Split `amount` over `holding` {method: cents} in the registry's order (cash first), never more than a
    method holds: {method: cents}. Whatever no method covers is left out (callers cap `amount` first)."""
    split = {}
    for method in MONEY_CODES:
        take = min(amount, holding.get(method, 0))
        if take > 0:
            split[method] = take
            amount -= take
    return split


def check_split(holding, amount, split):
    """A split staff typed: every method refundable, within what it holds, adding up to `amount`."""
    split = {m: c for m, c in (split or {}).items() if c}
    for method, cents in split.items():
        if method not in MONEY_CODES or cents < 0:
            raise ServiceError(_("Unknown payment method."), "split")
        if cents > holding.get(method, 0):
            raise ServiceError(_("At most %(max)s can go back by %(method)s: that is what was paid by it.",
                                 max=money(holding.get(method, 0)), method=METHODS[method].label), f"split_{method}")
    if sum(split.values()) != amount:
        raise ServiceError(_("The amounts per method add up to %(sum)s; %(amount)s goes back.",
                             sum=money(sum(split.values())), amount=money(amount)), "split")
    return split


def drawer_part(split):
    """The cents of a give-back {method: cents} paid from a cash drawer."""
    return sum(c for m, c in split.items() if METHODS[m].in_drawer)


def change_given(order):
    """The cash change handed back for the order (0 when nothing was paid in cash)."""
    return sum(_get(p, "change_cents", 0) for p in _get(order, "payments", []))


def sale_increment(payments, comp_tickets):
    """The `$inc` a sale applies to its shift's running totals."""
    inc = Counter({"comps_given": comp_tickets})
    for p in payments:
        inc[f"totals_by_method.{p.method}"] += p.amount_cents
        if METHODS[p.method].in_drawer:
            inc["cash_in_cents"] += p.tendered_cents or p.amount_cents
            inc["change_out_cents"] += p.change_cents or 0
    return dict(inc)


def own_in_shift(order):
    """{method: cents} the order's own payments still count in its shift's totals (a void took its part out)."""
    own = Counter()
    for p in _get(order, "payments", []):
        if _get(p, "method") in MONEY_CODES:
            own[_get(p, "method")] += _get(p, "amount_cents", 0)
    for refund in _get(order, "refunds", []):
        if _get(refund, "kind") == "void":  # the only give-back charged to the sale's own shift
            own.subtract(given_back(refund))
    return {m: c for m, c in own.items() if c > 0}


def void_increment(order, split, comp_tickets):
    """The `$inc` a void applies to the sale's own shift: its totals lose what this order put in them, and cash
    paid back (also a credit's cash part) leaves the drawer. No per-method total goes below what it had."""
    own, inc = own_in_shift(order), Counter()
    for method, cents in split.items():
        inc[f"totals_by_method.{method}"] -= min(cents, own.get(method, 0))
        if METHODS[method].in_drawer:
            inc["cash_refunds_cents"] += cents
    inc["comps_given"] = -comp_tickets
    return dict(inc)


def release_increment(order, comp_tickets):
    """The `$inc` undoing in its shift all the order still counts there (a failed payment's release)."""
    own = own_in_shift(order)
    inc = {f"totals_by_method.{m}": -c for m, c in own.items()}
    drawer = sum(c for m, c in own.items() if METHODS[m].in_drawer)
    if drawer:
        inc["cash_in_cents"] = -drawer
    if comp_tickets:
        inc["comps_given"] = -comp_tickets
    return inc


def drawer_expected(shift):
    """Cash that should be in the drawer: float + cash taken − change given − cash paid back."""
    return (_get(shift, "opening_float_cents", 0) + _get(shift, "cash_in_cents", 0)
            - _get(shift, "change_out_cents", 0) - _get(shift, "cash_refunds_cents", 0))
