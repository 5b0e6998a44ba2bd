"""Managers' reports: sales, shift reconciliation and the door — on screen, printable, CSV and XLSX."""
from bson import ObjectId
from flask import Blueprint, Response, abort, request
from flask_babel import format_date

from ..models import Event, TicketType, User, Venue
from ..security import roles_required
from ..services import ServiceError
from ..services.exports import to_csv, to_xlsx
from ..services.reports import GROUPS, MONEY_METHODS, method_label, parse_filters, sales_report
from ..services.door_report import door_report
from ..services.seat_report import seats_report
from ..services.shift_report import shift_report
from .helpers import render

bp = Blueprint("reports", __name__, url_prefix="/reports")

REPORTS = {"sales": sales_report, "shifts": shift_report, "door": door_report, "seats": seats_report}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_filter("local_date")
def local_date(value):
    return format_date(value, "short") if value else ""


def _choices(kind):
    event_id = request.args.get("event", "")
    events = Event.objects.only("title", "starts_at").order_by("-starts_at")
    if kind == "seats":  # only a show of a seated venue has seats to report on
        events = events.filter(venue__in=Venue.objects(kind="reserved").distinct("id"))
    return {"events": events.limit(300),
            # Any 24 characters are not an id: parse_filters refuses a malformed one with its message.
            "tiers": TicketType.objects(event=event_id).only("name") if ObjectId.is_valid(event_id) else [],
            "sellers": User.objects(roles__in=["seller", "manager", "admin"]).only("name").order_by("name"),
            "methods": [(m, method_label(m)) for m in MONEY_METHODS], "groups": GROUPS}


def _page(kind):
    if kind not in REPORTS:
        abort(404)
    query = {k: v for k, v in request.args.items() if k != "page"}  # for export and page links
    context = {"kind": kind, "args": request.args, "query": query, **_choices(kind)}
    try:
        filters = parse_filters(request.args)
        report = REPORTS[kind](filters)
    except ServiceError as exc:
        return render("reports/report.html", "reports/_page.html", error=exc.message, status=exc.status, **context)
    rows, number, pages = report.page(filters["page"])
    return render("reports/report.html", "reports/_page.html", report=report, rows=rows, page_number=number,
                  pages=pages, **context)


@bp.route("/")
@roles_required("manager")
def index():
    """The sales report (the reports' start page)."""
    return _page("sales")


@bp.route("/<kind>")
@roles_required("manager")
def show(kind):
    """One report on screen, filtered and paginated."""
    return _page(kind)


@bp.route("/<kind>/export.<fmt>")
@roles_required("manager")
def export(kind, fmt):
    """The whole report (every page) as CSV or XLSX, with the screen's numbers."""
    if kind not in REPORTS or fmt not in ("csv", "xlsx"):
        abort(404)
    filters = parse_filters(request.args)  # ServiceError → 400 page with the message
    report = REPORTS[kind](filters)
    name = f"{kind}-{filters['start']:%Y%m%d}-{filters['end']:%Y%m%d}.{fmt}"
    # "text/csv": Werkzeug adds "; charset=utf-8" to a text type itself (given here too, it was sent twice).
    body, mimetype = (to_csv(report), "text/csv") if fmt == "csv" else (to_xlsx(report), XLSX)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
