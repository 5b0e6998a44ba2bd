"""The point of sale: pick a show, choose tickets, take payment — keyboard first."""
import uuid

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ...forms.sales import OpenShiftForm, parse_sale, payment_refusal, quantities_of
from ...payment_methods import METHODS, MONEY_CODES
from ...security import roles_required
from ...services import NotFound, ServiceError
from ...services.sale_keys import KeyReused
from ...services import pos as pos_service
from ...services import seat_pos
from ...services import sales as sale_service
from ...services import shifts as shift_service
from ..helpers import go, render
from . import bp


def _screen_hold(event_id, values, take=True):
    """The seller's hold for the quantities on screen (kept, replaced or given back: pos.hold_for_screen); only
    a sale form (its key) holds places, so a bare preview asks the counters without taking any."""
    take = take and bool(values.get("key"))
    try:
        quantities = parse_sale(values)["quantities"]
    except ServiceError:
        quantities = {}
    return pos_service.hold_for_screen(current_user, event_id, quantities, values.get("hold_id"), take)


def _seated(event_id, values, take=True, toggles=(), best=None):
    """A seated show's screen: the seats picked (fields `seat`), first changed by the seller's actions (seats
    `toggles` activated on the map, `best` = (zone, count) asked for), fitted to the quantities and held
    (services/seat_pos.py) → {hold, values (the form as it now stands), seating (what the picker draws)}; None for
    general admission."""
    event = pos_service.seated_show(event_id)
    if event is None:
        return None
    values, tiers = MultiDict(values), pos_service.active_tiers(event)
    try:
        quantities = parse_sale(values)["quantities"]
    except ServiceError:
        quantities = {}
    picked, message, warning, hold_id = values.getlist("seat"), None, None, seat_pos.object_id(values.get("hold_id"))
    if toggles or best:
        quantities, picked, warning, message = seat_pos.change(event.pk, tiers, quantities, picked, hold_id, toggles,
                                                               best)
    try:
        picked, fitted = seat_pos.fit(event.pk, tiers, quantities, picked)
        warning = warning or fitted
    except ServiceError as exc:
        message = " ".join(filter(None, (message, exc.message)))
    hold, quantities, picked, taken = seat_pos.hold_pick(current_user, event.pk, tiers, quantities, picked,
                                                         values.get("hold_id"), take and bool(values.get("key")))
    for tier, qty in quantities.items():
        values[f"qty-{tier}"] = str(qty)  # item assignment replaces (MultiDict.update would add a second value)
    values.poplist("seat")
    if picked:  # an empty list would stay behind as a key without values
        values.setlist("seat", picked)
    mine = [hold.pk] if hold is not None and hold.status == "held" else []
    if toggles:
        values["sid"] = toggles[-1]  # the seat the keyboard is on stays the map's one in the tab order
    return {"hold": hold, "values": values, "seating": {
        "event": event, "svg": seat_pos.drawing(event, mine, selected=values.get("sid")),
        "picked": seat_pos.picked_seats(event.pk, picked), "zones": seat_pos.zone_names(event),
        "message": taken or message, "warning": warning, "hold": hold, "since": seat_pos.stamp(),
        "acted": bool(toggles or best)}}


def _summary(event_id, values, hold=None):
    held = hold if hold is not None and hold.status == "held" else None
    problem = None
    try:
        sale = parse_sale(values)
    except ServiceError as exc:  # a box typed wrong: the tickets' total still shows beside what to fix
        problem, sale = exc.message, {"documents": {}, "payments": []}
        try:
            sale["quantities"] = quantities_of(values)
        except ServiceError:
            sale["quantities"] = {}
    summary = pos_service.preview(event_id, sale["quantities"], sale["documents"], sale["payments"], bool(held))
    summary.update(hold=held, seconds=pos_service.seconds_left(held) if held else 0)
    if problem:
        summary["problem"] = problem
    return summary


# Boxes whose id is the field a refusal names (services' ServiceError.field).
_AMOUNTS = tuple(f"{code}_amount" for code in MONEY_CODES)
_BOXES = {m.form_field for m in METHODS.values()} | set(_AMOUNTS) | {"customer_name", "customer_email",
                                                                   "customer_phone"}


def _focus(field, values, sheet):
    """The id of the box the keyboard goes to: the one a refusal names, else the first quantity on sale (none
    after a click on the map: the seat keeps it)."""
    if values.get("sid") or values.get("best"):
        return None
    chosen = [row["tier"] for row in sheet["tiers"] if (values.get(f"qty-{row['tier'].id}") or "0").strip() != "0"]
    on_sale = [f"qty-{row['tier'].id}" for row in sheet["tiers"] if row["remaining"] > 0]
    if field in _BOXES:
        return field
    if field == "documents":
        return next((f"docs-{t.id}" for t in chosen if t.is_concession), None)
    if field == "payments":  # amounts that do not add up, or no method at all
        return next((name for name in _AMOUNTS if values.get(name)), METHODS[MONEY_CODES[0]].form_field)
    if field == "quantities" and chosen:
        return f"qty-{chosen[0].id}"
    return on_sale[0] if on_sale else None


def _panel(event_id, values=None, error=None, status=200, field=None, sold=None, seated=None):
    """The sale form of a show (a fresh idempotency key unless re-showing a refused form); `sold`: the order
    this form's key already sold, linked next to the error; `seated`: a seated show's screen already worked out."""
    values = values or {}
    sheet = pos_service.sale_sheet(event_id)
    # A refused sale keeps the places its form held, but takes none: a refusal writes nothing new.
    seated = seated or _seated(event_id, values, take=False)
    if seated:
        values, hold = seated["values"], seated["hold"]
    else:
        hold = _screen_hold(event_id, values, take=False) if values else None
    return render("sales/pos.html", "sales/_panel_answer.html", sheet=sheet, values=values, error=error, sold=sold,
                  summary=_summary(event_id, values, hold), focus=_focus(field, values, sheet),
                  seating=seated and seated["seating"], key=values.get("key") or str(uuid.uuid4()),
                  shows=pos_service.shows_on_sale(), shift=shift_service.current_shift(current_user),
                  open_form=OpenShiftForm(), status=status)


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
    seated = _seated(event_id, request.form, take=False)  # the places (and seats) held while the customer paid
    hold = seated["hold"] if seated else _screen_hold(event_id, request.form, take=False)
    try:
        order = sale_service.sell(current_user, event_id=event_id, hold_id=hold and hold.pk, **parse_sale(request.form))
    except KeyReused as exc:
        # The form was changed after its sale went through (back button, lost answer): never the first order
        # silently. A new key lets the seller sell what is on the screen, deliberately, by confirming again.
        values = request.form.copy()
        values.pop("key", None)
        return _panel(event_id, values, _("This form already sold order %(number)s, with other tickets or payment: "
                                          "nothing more was sold. Check that order; to sell what is on the screen "
                                          "as well, confirm again.", number=exc.order.number), exc.status,
                      exc.field, sold=exc.order)
    except ServiceError as exc:
        exc = payment_refusal(exc, request.form)
        return _panel(event_id, request.form, exc.message, exc.status, exc.field)
    return go(url_for("sales.order", number=order.number, sold=1))


@bp.route("/sell/<event_id>/preview", methods=["POST"])
@roles_required("seller")
def preview(event_id):
    """The running total, change and the first problem, refreshed as the seller types; the places chosen are
    held for the seller meanwhile."""
    toggles, best = request.form.getlist("toggle"), request.form.get("best") == "1"
    if toggles or best:  # seats activated on the map or asked for, queued with the typing: the whole panel
        return seat_panel(event_id, toggles, best)
    seated = _seated(event_id, request.form)
    hold = seated["hold"] if seated else _screen_hold(event_id, request.form)
    return render("sales/_summary.html", summary=_summary(event_id, request.form, hold),
                  seating_oob=seated and dict(seated["seating"], form=seated["values"]))


def seat_panel(event_id, toggles=(), best=False):
    """The sale panel after the seller's actions on the seat picker (seats activated, best available asked for),
    swapped in whole; 409 with the reason when a seat could not be had."""
    best = (request.form.get("best_zone", ""), request.form.get("best_quantity")) if best else None
    seated = _seated(event_id, request.form, toggles=toggles, best=best)
    if seated is None:
        raise NotFound(_("This show has no numbered seats."))
    html, status = _panel(event_id, seated["values"], status=409 if seated["seating"]["message"] else 200,
                          seated=seated)
    return html, status, {"HX-Retarget": "#sale-panel", "HX-Reswap": "outerHTML"}


@bp.route("/sell/release-hold", methods=["POST"])
@roles_required("seller")
def release_hold():
    """Give back the places the sale form holds (Esc, another show, leaving the page); 204 either way."""
    pos_service.release_form_hold(current_user, request.form.get("hold_id"))
    return "", 204
