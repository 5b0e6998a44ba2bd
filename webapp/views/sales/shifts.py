"""Opening and closing the seller's cash shift."""
from flask import current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...forms.sales import CloseShiftForm, OpenShiftForm
from ...security import roles_required
from ...services import shifts as shift_service
from ..helpers import go, render, submit
from . import bp


@bp.route("/shift/open", methods=["POST"])
@roles_required("seller")
def open_shift():
    """Open a cash shift with the float in the drawer."""
    form = OpenShiftForm()
    opened, _status = submit(form, lambda: shift_service.open_shift(current_user, form.opening_float.cents),
                             "opening_float")
    if opened:
        flash(_("Shift opened. Good sales!"), "success")
        return go(url_for("sales.pos"))
    return render("sales/shift_open.html", "sales/_shift_open.html", form=form, status=400)


@bp.route("/shift", methods=["GET", "POST"])
@roles_required("seller")
def shift():
    """The open shift's figures; posting the counted cash (checked, then confirmed) closes it."""
    current = shift_service.current_shift(current_user)
    if current is None:
        return render("sales/shift_open.html", "sales/_shift_open.html", form=OpenShiftForm())
    return _close(current, "sales/shift.html", blind=current_app.config["SHIFT_BLIND_COUNT"])


def _close(current, page, blind=False, **context):
    """The closing's two steps on `page`: the screen's form sends step=check first — a count the closing would
    refuse is refused now, one it would take is shown to confirm (step=edit goes back to typing it); the confirmed
    post, or one without a step, closes."""
    form = CloseShiftForm()
    step, confirm, closed, status = request.form.get("step"), False, None, 200
    if step == "check":
        confirm, status = submit(form, lambda: _closable(current, form), "counted_cash")
    elif request.method == "POST" and step != "edit":
        closed, status = submit(form, lambda: shift_service.close_shift(current_user, current, form.counted_cash.cents),
                                "counted_cash")
    if closed:
        return go(url_for("sales.shift_report", shift_id=closed.pk))
    return render(page, "sales/_shift_close.html", shift=current, form=form, status=status, confirm=bool(confirm),
                  summary=shift_service.shift_summary(current, blind=blind), **context)


def _closable(current, form):
    """True once the count passed every rule of the closing (ServiceError otherwise); nothing is written."""
    shift_service.check_close(current_user, current, form.counted_cash.cents)
    return True


@bp.route("/shift/<shift_id>", methods=["GET", "POST"])
@roles_required("seller")
def shift_report(shift_id):
    """A shift's reckoning: totals per payment method, expected and counted cash, difference; a manager closes here
    the shift a seller left open."""
    shift = shift_service.get_shift(shift_id)
    if shift.seller_id != current_user.pk and not current_user.has_role("manager"):
        return render("errors/error.html", status=403, message=_("This shift belongs to another seller."))
    if shift.status == "open" and shift.seller_id != current_user.pk:
        return _close(shift, "sales/shift_report.html", close_url=url_for("sales.shift_report", shift_id=shift.pk))
    if request.method == "POST":  # the seller's own shift closes on their shift screen
        return go(url_for("sales.shift"))
    blind = current_app.config["SHIFT_BLIND_COUNT"] and shift.seller_id == current_user.pk  # not for a manager
    return render("sales/shift_report.html", shift=shift, summary=shift_service.shift_summary(shift, blind=blind))
