"""The managers' dashboard: the home page of managers and admins, refreshed in place through HTMX polling."""
from flask import Blueprint, current_app, request

from ..i18n import money
from ..security import roles_required
from ..services import seat_lookup, seat_pos
from ..services.dashboard import dashboard
from .helpers import render

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _seat_map():
    """The live occupancy map of a seated show of these days (the one asked for, else the soonest); None when
    there is none. Its seats refresh on their own (only those changed), not with the polled figures."""
    shows = [e for e in seat_lookup.seated_shows()[:12] if seat_pos.is_seated(e)]
    if not shows:
        return None
    event = next((e for e in shows if str(e.pk) == request.args.get("seats")), shows[0])
    return {"event": event, "shows": shows, "svg": seat_pos.drawing(event, picking=False), "zones": seat_pos.zone_names(event),
            "occupancy": seat_pos.occupancy(event.pk), "since": seat_pos.stamp()}


def dashboard_page():
    """The dashboard page (or, for the HTMX poll, just its live fragment)."""
    seats = None if request.htmx and not request.htmx.boosted else _seat_map()
    return render("dashboard/home.html", "dashboard/_live.html", data=dashboard(), seats=seats,
                  refresh=current_app.config["DASHBOARD_REFRESH_SECONDS"], money=money)


@bp.route("/live")
@roles_required("manager")
def live():
    """Today's figures, shows and charts: the fragment the dashboard polls every few seconds."""
    return dashboard_page()
