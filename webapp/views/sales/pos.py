"""The point of sale: pick a show, choose tickets, take payment — keyboard first."""
import uuid

from flask import request, url_for
from flask_login import current_user

from ...forms.sales import OpenShiftForm, parse_sale
from ...security import roles_required
from ...services import ServiceError
from ...services import pos as pos_service
from ...services import sales as sale_service
from ...services import shifts as shift_service
from ..helpers import go, render
from . import bp


def _summary(event_id, values):
    try:
        sale = parse_sale(values)
    except ServiceError as exc:
        return {"lines": [], "total": 0, "change": 0, "payments": [], "problem": exc.message}
    return pos_service.preview(event_id, sale["quantities"], sale["documents"], sale["payments"])


# Boxes whose id is the field a refusal names (services' ServiceError.field).
_BOXES = {"cash_tendered", "cash_amount", "card_auth", "card_amount", "pix_reference", "pix_amount", "comp_reason",
          "customer_name", "customer_email", "customer_phone"}


def _focus(field, values, sheet):
    """The id of the box the keyboard goes to: the one a refusal names, else the first quantity on sale."""
    chosen = [row["tier"] for row in sheet["tiers"] if (values.get(f"qty-{row['tier'].id}") or "0").strip() != "0"]
    on_sale = [f"qty-{row['tier'].id}" for row in sheet["tiers"] if row["remaining"] > 0]
    if field in _BOXES:
        return field
    if field == "documents":
        return next((f"docs-{t.id}" for t in chosen if t.is_concession), None)
    if field == "payments":  # amounts that do not add up, or no method at all
        return next((name for name in ("cash_amount", "card_amount", "pix_amount") if values.get(name)),
                    "cash_tendered")
    if field == "quantities" and chosen:
        return f"qty-{chosen[0].id}"
    return on_sale[0] if on_sale else None


def _panel(event_id, values=None, error=None, status=200, field=None):
    """The sale form of a show (a fresh idempotency key unless re-showing a refused form)."""
    values = values or {}
    sheet = pos_service.sale_sheet(event_id)
    return render("sales/pos.html", "sales/_sale_panel.html", sheet=sheet, values=values, error=error,
                  summary=_summary(event_id, values), focus=_focus(field, values, sheet),
                  key=values.get("key") or str(uuid.uuid4()), shows=pos_service.shows_on_sale(),
                  shift=shift_service.current_shift(current_user), open_form=OpenShiftForm(), status=status)


@bp.route("/sell")
@roles_required("seller")
def pos():
    """Shows on sale today and upcoming, with seats left (the seller's starting point)."""
    if request.args.get("event"):
        return _panel(request.args["event"])
    return render("sales/pos.html", "sales/_shows.html", sheet=None, shows=pos_service.shows_on_sale(),
                  shift=shift_service.current_shift(current_user), open_form=OpenShiftForm())


@bp.route("/sell/<event_id>", methods=["GET", "POST"])
@roles_required("seller")
def sale(event_id):
    """The sale form of a show; posting it sells (once per form, however often it is sent)."""
    if request.method == "GET":
        return _panel(event_id)
    try:
        order = sale_service.sell(current_user, event_id=event_id, **parse_sale(request.form))
    except ServiceError as exc:
        return _panel(event_id, request.form, exc.message, exc.status, exc.field)
    return go(url_for("sales.order", number=order.number, sold=1))


@bp.route("/sell/<event_id>/preview", methods=["POST"])
@roles_required("seller")
def preview(event_id):
    """The running total, change and the first problem, refreshed as the seller types."""
    return render("sales/_summary.html", summary=_summary(event_id, request.form))
