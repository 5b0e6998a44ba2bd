"""The seat picker of the point of sale: a seat activated on the map, the best available, the live map."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ...security import roles_required
from ...services import NotFound, ServiceError
from ...services import pos as pos_service
from ...services import seat_pos
from .pos import _panel, _seated
from . import bp

MAX_BEST = 20


def _seat_panel(event_id, change):
    """The sale panel after `change` to the pick: 409 with the reason when a seat could not be had."""
    seated = _seated(event_id, request.form, change=change)
    if seated is None:
        raise NotFound(_("This show has no numbered seats."))
    message = seated["seating"]["message"]
    return _panel(event_id, seated["values"], status=409 if message else 200, seated=seated)


@bp.route("/sell/<event_id>/seat", methods=["POST"])
@roles_required("seller")
def pick_seat(event_id):
    """A seat activated on the map joins the pick (with a ticket of its zone) or leaves it, held at once; a seat
    another window has is refused with why, and the map is drawn as it is now."""
    sid, show = request.form.get("sid", ""), seat_pos.object_id(event_id)
    return _seat_panel(event_id, lambda tiers, quantities, picked, hold_id: seat_pos.toggle(
        show, tiers, quantities, picked, sid, hold_id) + (None,))


@bp.route("/sell/<event_id>/best", methods=["POST"])
@roles_required("seller")
def best_seats(event_id):
    """"Best available: N in zone X": the best seats proposed in place of that zone's pick, held at once; the
    seller sells them or changes them on the map."""
    text, show = (request.form.get("best_quantity") or "").strip(), seat_pos.object_id(event_id)
    zone = request.form.get("best_zone", "")

    def change(tiers, quantities, picked, hold_id):
        if not text.isdigit() or not 1 <= int(text) <= MAX_BEST:
            raise ServiceError(_("Ask for 1 to %(n)d seats.", n=MAX_BEST), "best_quantity")
        return seat_pos.best_pick(show, tiers, quantities, picked, zone, int(text))
    return _seat_panel(event_id, change)


@bp.route("/sell/<event_id>/seats/changes")
@roles_required("seller")
def seat_changes(event_id):
    """The seats of a seated show changed since `since`, drawn (JSON {now, markup}) for a live map; `hold`: the
    seller's hold, whose seats are drawn as theirs."""
    event = pos_service.seated_show(event_id)
    if event is None:
        raise NotFound(_("This show has no numbered seats."))
    hold = pos_service.form_hold(current_user, request.args.get("hold"))
    mine = [hold.pk] if hold is not None and hold.status == "held" else []
    return jsonify(seat_pos.changes(event, seat_pos.parse_since(request.args.get("since")), mine))
