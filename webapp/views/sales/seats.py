"""The seat picker of the point of sale without its script's queue: a seat activated, the best available, and the
live map. (The POS page sends its seat actions with the running total's requests, one at a time: pos.preview.)"""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ...security import roles_required
from ...services import NotFound
from ...services import pos as pos_service
from ...services import seat_pos
from .pos import seat_panel
from . import bp


@bp.route("/sell/<event_id>/seat", methods=["POST"])
@roles_required("seller")
def pick_seat(event_id):
    """A seat activated on the map (`sid`) joins the pick (with a ticket of its zone) or leaves it, held at once;
    a seat another window has is refused with why, and the map is drawn as it is now."""
    return seat_panel(event_id, toggles=[request.form.get("sid", "")])


@bp.route("/sell/<event_id>/best", methods=["POST"])
@roles_required("seller")
def best_seats(event_id):
    """"Best available: N in zone X": the best seats proposed in place of that zone's pick, held at once; the
    seller sells them or changes them on the map."""
    return seat_panel(event_id, best=True)


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
