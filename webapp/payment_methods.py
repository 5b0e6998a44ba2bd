"""The one registry of payment methods: every model, form, page, report and export reads it.

Adding a method is one entry here plus its rules (what identifies a payment of it, how it goes back).
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Method:
    code: str
    label: object  # lazy translated name
    money: bool  # moves money (a complimentary sale gives tickets away)
    in_drawer: bool  # counted in the seller's cash drawer
    identifier: str  # the Payment field that identifies it (tendered cash, card code, Pix reference, reason)
    form_field: str  # the POS box where it is typed
    refund_label: object = None  # how money goes back by this method (None: it is never paid back)
    reference_label: object = None  # a card reversal / Pix refund is identified by the reference it was given
    shortcut: str = ""  # POS key that picks it
    entry_label: object = None  # the POS box's label (what the seller types there)
    split_label: object = None  # the POS box of its part of a split payment (money methods)


METHODS = {m.code: m for m in (
    Method("cash", _l("Cash"), money=True, in_drawer=True, identifier="tendered_cents", form_field="cash_tendered",
           refund_label=_l("Cash from the drawer"), shortcut="F4", entry_label=_l("Cash handed over"),
           split_label=_l("Cash part (split)")),
    Method("card", _l("Card"), money=True, in_drawer=False, identifier="auth_code", form_field="card_auth",
           refund_label=_l("Card reversal"),
           reference_label=_l("Card reversal reference"), shortcut="F6",
           entry_label=_l("Card authorisation code"), split_label=_l("Card part (split)")),
    Method("pix", _l("Pix"), money=True, in_drawer=False, identifier="reference", form_field="pix_reference",
           refund_label=_l("Pix refund"),
           reference_label=_l("Pix refund reference"), shortcut="F7",
           entry_label=_l("Pix reference"), split_label=_l("Pix part (split)")),
    # Ticked on the POS (its box is the method's code), then the reason typed.
    Method("comp", _l("Complimentary"), money=False, in_drawer=False, identifier="comp_reason",
           form_field="comp_reason", shortcut="F8", entry_label=_l("Reason")),
)}

CODES = tuple(METHODS)  # every method a payment may have
MONEY_CODES = tuple(c for c, m in METHODS.items() if m.money)  # methods that bring money in and take it back
REFUND_CODES = tuple(c for c, m in METHODS.items() if m.refund_label is not None)
DRAWER_CODES = tuple(c for c, m in METHODS.items() if m.in_drawer)

# Not a way to pay: the value an exchange carries from the old order to the new one (no money moves).
EXCHANGE = "exchange"
_EXCHANGE_LABEL = _l("Exchange credit")


def label(code):
    """The method's name in the reader's language (an exchange's credit included)."""
    if code == EXCHANGE:
        return str(_EXCHANGE_LABEL)
    method = METHODS.get(code)
    return str(method.label) if method else code


def labels():
    """{code: label} of every method and the exchange credit, for templates."""
    return {**{c: m.label for c, m in METHODS.items()}, EXCHANGE: _EXCHANGE_LABEL}
