"""Cash shifts: a seller sells only inside an open shift; closing compares counted with expected cash."""
from bson import ObjectId
from flask_babel import gettext as _
from mongoengine import NotUniqueError

from .. import db
from ..i18n import money_refused
from ..models import Shift
from ..models.base import utcnow
from ..payment_methods import DRAWER_CODES, MONEY_CODES
from . import Conflict, NotFound, ServiceError
from .audit import record

MAX_CASH_CENTS = 10_000_000_00  # a typo guard, not a business limit


def _check_cash(cents, field):
    if cents is None or cents < 0 or cents > MAX_CASH_CENTS:
        raise ServiceError(money_refused(), field)


def current_shift(user):
    """The user's open shift, or None."""
    return Shift.objects(seller_id=user.pk, status="open").first()


def require_open_shift(user):
    """The user's open shift; ServiceError when there is none (no sale outside a shift)."""
    shift = current_shift(user)
    if shift is None:
        raise ServiceError(_("Open a cash shift before selling."), "shift")
    return shift


def get_shift(shift_id):
    shift = Shift.objects(pk=shift_id).first() if ObjectId.is_valid(str(shift_id)) else None
    if shift is None:
        raise NotFound(_("Shift not found."))
    return shift


def open_shift(user, opening_float_cents):
    """Open a shift for `user` with the cash float in the drawer; Conflict when one is already open."""
    _check_cash(opening_float_cents, "opening_float")
    shift = Shift(seller_id=user.pk, seller_name=user.name, opening_float_cents=opening_float_cents,
                  totals_by_method={})
    try:
        shift.save(force_insert=True)
    except NotUniqueError:  # the partial unique index: one open shift per seller
        raise Conflict(_("You already have an open shift.")) from None
    record("shift.open", user, target=shift, after={"opening_float_cents": opening_float_cents})
    return shift


def _close_in(session, shift_id, counted_cents, closed_by):
    shifts = Shift._get_collection()
    raw = shifts.find_one({"_id": shift_id, "status": "open"}, session=session)
    if raw is None:
        raise Conflict(_("This shift is already closed."))
    shift = Shift._from_son(raw)
    expected = shift.expected_cash
    changes = {"status": "closed", "closed_at": utcnow(), "counted_cash_cents": counted_cents,
               "expected_cash_cents": expected, "difference_cents": counted_cents - expected}
    shifts.update_one({"_id": shift_id, "status": "open"}, {"$set": changes}, session=session)
    # What changed is the status; the expected cash is a figure of the closing, not a value the count replaced
    # (as "before" the audit trail showed it struck through, as if removed).
    record("shift.close", closed_by, session=session, target=shift, before={"status": "open"},
           after={"status": "closed", "expected_cash_cents": expected, "counted_cash_cents": counted_cents,
                  "difference_cents": counted_cents - expected})


def check_close(actor, shift, counted_cash_cents):
    """Refuse what close_shift would refuse (the count, the closer), writing nothing: the screen asks to confirm
    only a closing that can go through."""
    _check_cash(counted_cash_cents, "counted_cash")
    if shift.seller_id != actor.pk and not actor.has_role("manager"):
        raise ServiceError(_("Only the seller or a manager can close this shift."))


def close_shift(actor, shift, counted_cash_cents):
    """Close `shift` with the cash counted in the drawer; stores expected cash and the difference."""
    check_close(actor, shift, counted_cash_cents)
    # One transaction, so a sale committing meanwhile is either counted or conflicts and is retried.
    db.run_in_transaction(_close_in, shift.pk, counted_cash_cents, actor)
    return Shift.objects.get(pk=shift.pk)


def shift_summary(shift, blind=False):
    """Figures for the shift screen: money taken per method, the cash drawer reckoning, tickets given away.

    Complimentary tickets brought no money: they are counted as tickets, never listed among the money.
    blind: a blind count of an open shift — every cash figure (from which the expected amount could be worked
    out) is left out until the count is entered and the shift closed.
    """
    closed = shift.status == "closed"
    hide = blind and not closed
    by_method = {m: c for m, c in sorted((shift.totals_by_method or {}).items())
                 if c and m in MONEY_CODES and not (hide and m in DRAWER_CODES)}
    summary = {"by_method": by_method, "blind": hide, "hidden_methods": DRAWER_CODES if hide else (),
               "comps_given": shift.comps_given,
               "counted_cash": shift.counted_cash_cents, "difference": shift.difference_cents}
    if not hide:
        summary.update(opening_float=shift.opening_float_cents, cash_in=shift.cash_in_cents,
                       change_out=shift.change_out_cents, cash_refunds=shift.cash_refunds_cents,
                       expected_cash=shift.expected_cash_cents if closed else shift.expected_cash)
    return summary

