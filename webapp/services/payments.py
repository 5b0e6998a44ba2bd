"""Payments of a sale, checked against the total computed on the server (pure: no database, no request)."""
import re

from flask_babel import gettext as _

from ..i18n import money, money_text
from ..models import Payment
from ..payment_methods import CODES
from . import ServiceError

MAX_PAYMENTS = 6
MAX_TENDER_CENTS = 1_000_000_00
_CODE = re.compile(r"^[A-Za-z0-9._/-]{4,80}$")


def _text(entry, key):
    return (entry.get(key) or "").strip()


def _amount(value, field):
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0 or value > MAX_TENDER_CENTS:
        raise ServiceError(_("Each payment must be a positive amount."), field)
    return value


def _fill_remainder(total_cents, entries):
    """Amounts of every entry; at most one may leave it blank and so takes what the others leave."""
    amounts = [_amount(e.get("amount_cents"), f"{e.get('method')}_amount") for e in entries]
    blanks = [i for i, a in enumerate(amounts) if a is None]
    if len(blanks) > 1:
        raise ServiceError(_("With more than one payment method, type the amount of each."), "payments")
    if blanks:
        rest = total_cents - sum(a for a in amounts if a is not None)
        if rest <= 0:
            raise ServiceError(_("The payments add up to %(paid)s but the total is %(total)s.",
                                 paid=money(total_cents - rest), total=money(total_cents)), "payments")
        amounts[blanks[0]] = rest
    paid = sum(amounts)
    if paid != total_cents:
        raise ServiceError(_("The payments add up to %(paid)s but the total is %(total)s.",
                             paid=money(paid), total=money(total_cents)), "payments")
    return amounts


def _payment(entry, amount):
    method = entry["method"]
    if method == "cash":
        tendered = entry.get("tendered_cents")
        tendered = amount if tendered is None else tendered
        if not isinstance(tendered, int) or tendered > MAX_TENDER_CENTS:
            raise ServiceError(_("Type the cash handed over, e.g. %(example)s.", example=money_text(150_00)),
                               "cash_tendered")
        if tendered < amount:
            raise ServiceError(_("Short tender: %(tendered)s handed over, %(due)s due in cash.",
                                 tendered=money(tendered), due=money(amount)), "cash_tendered")
        return Payment(method="cash", amount_cents=amount, tendered_cents=tendered, change_cents=tendered - amount)
    if method == "card":
        code = _text(entry, "auth_code")
        if not _CODE.match(code) or len(code) > 40:
            # Something typed but refused: say what it must look like, not ask for it again.
            raise ServiceError(_("An authorisation code has 4 to 40 letters or digits (and . _ / -), without spaces.")
                               if code else _("Type the card terminal's authorisation code."), "card_auth")
        return Payment(method="card", amount_cents=amount, auth_code=code)
    if method == "pix":
        reference = _text(entry, "reference")
        if not _CODE.match(reference):
            raise ServiceError(_("A Pix reference has 4 to 80 letters or digits (and . _ / -), without spaces.")
                               if reference else _("Type the Pix transaction reference."), "pix_reference")
        return Payment(method="pix", amount_cents=amount, reference=reference)
    reason = _text(entry, "comp_reason")
    if not 3 <= len(reason) <= 200:
        raise ServiceError(_("The reason for complimentary tickets needs 3 to 200 characters.")
                           if reason else _("Say why the tickets are complimentary."), "comp_reason")
    return Payment(method="comp", amount_cents=amount, comp_reason=reason)


def settle(total_cents, entries):
    """Payment documents that cover `total_cents` exactly (cash change worked out), or ServiceError.

    entries: [{"method", "amount_cents" (None: the rest), "tendered_cents", "auth_code", "reference",
    "comp_reason"}]. A complimentary sale is given whole, never split with money.
    """
    entries = [e for e in (entries or []) if e]
    if total_cents == 0:
        return []
    if not entries:
        raise ServiceError(_("Choose how the customer pays."), "payments")
    if len(entries) > MAX_PAYMENTS or any(e.get("method") not in CODES for e in entries):
        raise ServiceError(_("Unknown payment method."), "payments")
    if any(e["method"] == "comp" for e in entries) and len(entries) > 1:
        raise ServiceError(_("Complimentary tickets cannot be mixed with other payments."), "comp_reason")
    amounts = _fill_remainder(total_cents, entries)
    return [_payment(entry, amount) for entry, amount in zip(entries, amounts)]
