"""Voids, refunds and exchanges on the order page; pending refunds; a cancelled show's refund progress."""
import uuid

from bson import ObjectId

from flask import Blueprint, flash, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from ..forms.sales import lines_of, money_per_method, payments_of, text_per_method
from ..i18n import money
from ..models import Event
from ..security import recent_sign_in_required, roles_required
from ..services import NotFound, ServiceError, cancellation, seat_pos
from ..services import exchanges as exchange_service
from ..services import orders as order_service
from ..services import refunds as refund_service
from ..services.shifts import current_shift
from .helpers import go, render

bp = Blueprint("refunds", __name__)


@bp.app_context_processor
def _refund_helpers():
    """For the one-line includes on the order and show pages (their views know nothing of refunds)."""

    def refund_actions(order, typed=None):
        shift = current_shift(current_user)
        draft = session.get(_DRAFT) or {}
        if draft.get("number") == order.number:  # typed before the password prompt: shown again, once
            session.pop(_DRAFT)
        else:
            draft = typed or {}  # typed before a refusal: shown again with it
        return {"can_void": shift is not None and order.shift_id == shift.pk,
                "can_refund": current_user.has_role("manager"), "key": str(uuid.uuid4()), "draft": draft,
                "targets": exchange_service.exchange_targets() if current_user.has_role("manager") else []}

    return {"refund_actions": refund_actions, "cancellation_progress": cancellation.progress}


_DRAFT = "refund_draft"


def _typed(number):
    """What was typed in the order's actions form (tickets ticked, reason, exchange target and payment boxes)."""
    form = request.form
    return {"number": number, "reason": form.get("reason", "")[:500], "tickets": form.getlist("ticket")[:100],
            "override": form.get("override") == "1", "override_reason": form.get("override_reason", "")[:500],
            "seats": form.getlist("seats")[:100],  # the seats chosen in the list, chosen again when it reloads
            **{name: form.get(name, "")[:400]
               for name in ("target", "documents", "cash_tendered", "card_auth", "pix_reference")}}


def _keep_draft(**kwargs):
    """What was typed for a refund (reason, tickets ticked) waits in the session while the password is asked."""
    if "number" in kwargs:
        session[_DRAFT] = _typed(kwargs["number"])


# Refunds and overrides need a recent password: otherwise off to re-authenticate, then back to the page, where what
# was typed is filled in again.
fresh_required = recent_sign_in_required(
    _l("Confirm your password to refund or override."),
    lambda **kw: url_for("sales.order", number=kw["number"]) if "number" in kw else url_for("refunds.pending"),
    remember=_keep_draft)


def _actions(order, error=None, status=200, notice=None, confirm=None):
    """The order page's actions fragment (or, without HTMX, the order page itself; a refund to confirm is a page
    of its own then)."""
    if confirm is not None and not request.htmx:
        return render("refunds/confirm.html", order=order, confirm=confirm, error=error, status=status)
    if not request.htmx:
        if error:
            flash(error, "error")
        elif notice:
            flash(notice, "success")
        return go(url_for("sales.order", number=order.number))
    return render("refunds/_order_actions.html", order=order, tickets=order_service.tickets_of(order), error=error,
                  notice=notice, status=status, confirm=confirm, typed=_typed(order.number) if error else None)


def _run(number, action):
    """Call `action(order)` → (order, notice) and answer with the refreshed actions (a refusal shown in them)."""
    order = order_service.get_order(number)
    try:
        order, notice = action(order)
    except NotFound:
        raise
    except ServiceError as exc:
        return _actions(order_service.get_order(number), exc.message, exc.status)
    return _actions(order, notice=notice)


def _notice(outcome):
    if outcome.repeated:
        return outcome.order, _("Nothing changed: these tickets were already given back.")
    return outcome.order, ngettext("%(num)d ticket given back, %(amount)s returned.",
                                   "%(num)d tickets given back, %(amount)s returned.", len(outcome.tickets),
                                   amount=money(outcome.amount_cents))


@bp.route("/orders/<number>/void", methods=["POST"])
@roles_required("seller")
def void(number):
    """Void the selected tickets (all when none selected) of a sale of the seller's open shift."""
    codes = request.form.getlist("ticket") or None
    return _run(number, lambda order: _notice(refund_service.void_tickets(
        current_user, order, codes, idempotency_key=request.form.get("key"))))


def _refund_confirmation(order, error=None, status=200):
    """Step one of a refund (and step two refused): what goes back and its split per method, to check or adjust."""
    form = request.form
    try:
        confirm = refund_service.refund_preview(
            order, form.getlist("ticket") or None, reason=form.get("reason"), override_used=form.get("override") == "1",
            override_reason=form.get("override_reason"))
    except ServiceError as exc:
        return _actions(order, error or exc.message, status if error else exc.status)
    # Cash goes back from the manager's own drawer: "open a shift first" only when there is none to pay it from.
    drawer_open = bool(confirm["split"].get("cash")) and current_shift(current_user) is not None
    return _actions(order, error, status, confirm=dict(confirm, form=form, drawer_open=drawer_open))


@bp.route("/orders/<number>/refund", methods=["POST"])
@roles_required("manager")
@fresh_required
def refund(number):
    """Refund the selected tickets with a reason, after staff confirmed the split per payment method; used tickets
    only with the override box ticked."""
    form, order = request.form, order_service.get_order(number)
    if form.get("confirm") != "1":
        return _refund_confirmation(order)
    try:
        outcome = refund_service.refund_tickets(
            current_user, order, form.getlist("ticket") or None, reason=form.get("reason"),
            split=money_per_method(form, "split_"), references=text_per_method(form, "reference_"),
            override_used=form.get("override") == "1", override_reason=form.get("override_reason"),
            idempotency_key=form.get("key"))
    except ServiceError as exc:
        return _refund_confirmation(order_service.get_order(number), exc.message, exc.status)
    order, notice = _notice(outcome)
    return _actions(order, notice=notice)


def _exchange(order):
    form = request.form
    event_id, _sep, tier_id = form.get("target", "").partition("/")
    new = exchange_service.exchange_tickets(
        current_user, order, form.getlist("ticket") or None, event_id=event_id, tier_id=tier_id, reason=form.get("reason"),
        idempotency_key=form.get("key"), payments=payments_of(form),
        refund_references=text_per_method(form, "reference_"), documents=lines_of(form.get("documents")) or None,
        seat_ids=form.getlist("seats") or None)  # a seated show: none chosen → the best available
    return order_service.get_order(order.number), _("Exchanged: new order %(number)s.", number=new.number)


@bp.route("/orders/<number>/exchange", methods=["POST"])
@roles_required("manager")
@fresh_required
def exchange(number):
    """Move the selected tickets to another show or tier, paying or refunding the difference."""
    return _run(number, _exchange)


@bp.route("/orders/<number>/exchange/seats")
@roles_required("manager")
def exchange_seats(number):
    """The free seats of the show and ticket type chosen for an exchange, named as on a ticket, to choose from."""
    order = order_service.get_order(number)
    if not request.htmx:
        return go(url_for("sales.order", number=order.number))
    event_id, _sep, tier_id = request.args.get("target", "").partition("/")
    try:
        free = seat_pos.free_seats_for(event_id, tier_id)
    except ServiceError as exc:
        return render("refunds/_exchange_seats.html", order=order, seat_error=exc.message, status=exc.status)
    return render("refunds/_exchange_seats.html", order=order, free_seats=free, chosen=request.args.getlist("chosen"))


@bp.route("/refunds/pending")
@roles_required("manager")
def pending():
    """Refunds still to pay out (cancelled shows): cash at the counter, card/Pix reversals."""
    return render("refunds/pending.html", "refunds/_pending_table.html", items=refund_service.pending_refunds())


@bp.route("/refunds/pending/<number>/<int:index>", methods=["POST"])
@roles_required("manager")
@fresh_required
def settle(number, index):
    """Mark a pending refund paid (cash leaves the manager's drawer)."""
    try:
        refund_service.settle_refund(current_user, number, index, request.form.get("reference"))
    except ServiceError as exc:
        return render("refunds/pending.html", "refunds/_pending_table.html", items=refund_service.pending_refunds(),
                      error=exc.message, status=exc.status)
    return render("refunds/pending.html", "refunds/_pending_table.html", items=refund_service.pending_refunds())


def _show(event_id):
    event = Event.objects(pk=event_id).first() if ObjectId.is_valid(event_id) else None
    if event is None:
        raise NotFound(_("Show not found."))
    return event


@bp.route("/events/<event_id>/cancellation")
@roles_required("admin", "manager", "seller")
def cancellation_progress(event_id):
    """How many orders of a cancelled show are refunded (polled by the show page until done)."""
    event = _show(event_id)
    return render("refunds/_cancellation_progress.html", event=event, progress=cancellation.progress(event.pk))


@bp.route("/events/<event_id>/cancellation/retry", methods=["POST"])
@roles_required("admin", "manager")
def retry_cancellation_mail(event_id):
    """Send again only the cancellation e-mails that failed; the progress box follows them."""
    event, error, notice = _show(event_id), None, None
    try:
        count = cancellation.retry_failed_mail(current_user._get_current_object(), event.pk)
        notice = ngettext("%(num)d e-mail queued again.", "%(num)d e-mails queued again.", count) if count \
            else _("No failed e-mail is left to send again.")
    except ServiceError as exc:
        error = exc.message
    if not request.htmx:
        flash(error or notice, "error" if error else "success")
        return go(url_for("catalog.event", event_id=event.pk))
    return render("refunds/_cancellation_progress.html", event=event, progress=cancellation.progress(event.pk),
                  notice=notice, error=error, status=409 if error else 200)
