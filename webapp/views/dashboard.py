"""The managers' dashboard: the home page of managers and admins, refreshed in place through HTMX polling."""
from flask import Blueprint, current_app

from ..i18n import money
from ..security import roles_required
from ..services.dashboard import dashboard
from .helpers import render

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def dashboard_page():
    """The dashboard page (or, for the HTMX poll, just its live fragment)."""
    return render("dashboard/home.html", "dashboard/_live.html", data=dashboard(),
                  refresh=current_app.config["DASHBOARD_REFRESH_SECONDS"], money=money)


@bp.route("/live")
@roles_required("manager")
def live():
    """Today's figures, shows and charts: the fragment the dashboard polls every few seconds."""
    return dashboard_page()
