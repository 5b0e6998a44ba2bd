"""The door: pick a show and a gate, then scan tickets (one round trip per scan) with live counters."""
from flask import Blueprint, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..security import recent_sign_in, roles_required
from ..services import ServiceError
from ..services import door
from .helpers import go, render

bp = Blueprint("door", __name__, url_prefix="/door")

GATE_KEY = "door_gate"  # the gate this device scans at, kept for the whole session


def _scan_page(event, status=200, **context):
    """The scanning page, or (HTMX) the answer fragment with the counters updated out of band."""
    return render("door/scan.html", "door/_answer.html", status=status, event=event, gate=session.get(GATE_KEY),
                  counts=door.door_counts(event.pk), when=door.venue_time(event.starts_at, event),
                  closed=door.closed_reason(event), **context)


@bp.route("/", methods=["GET", "POST"])
@roles_required("door")
def index():
    """Choose the show and name the gate before scanning."""
    error, gate, chosen = None, session.get(GATE_KEY, ""), request.form.get("event_id", "")
    if request.method == "POST":
        gate = request.form.get("gate", "")
        try:
            event, session[GATE_KEY] = door.open_show(chosen), door.clean_gate(gate)
        except ServiceError as exc:
            error = exc.message
        else:
            return go(url_for("door.scan_page", event_id=event.pk))
    rows = door.door_shows()
    first = door.next_show(rows)
    shows = [(row["event"], door.venue_time(row["event"].starts_at, row["event"]), row["today"]) for row in rows]
    return render("door/index.html", "door/_choose.html", shows=shows, gate=gate, error=error,
                  chosen=chosen or (str(first.pk) if first else ""), status=400 if error else 200)


@bp.route("/<event_id>")
@roles_required("door")
def scan_page(event_id):
    """The scanning page of one show at this device's gate."""
    event = door.get_show(event_id)
    if not session.get(GATE_KEY):
        flash(_("Name the gate first."), "warning")
        return go(url_for("door.index"))
    return _scan_page(event)


@bp.route("/<event_id>/scan", methods=["POST"])
@roles_required("door")
def scan(event_id):
    """Admit or refuse one code: the big answer plus fresh counters, in one round trip."""
    code = request.form.get("code", "")
    if not door.clean_code(code):  # Enter on an empty box (a stray key, a scanner's lone Enter): no answer at all
        return ("", 204) if request.htmx else go(url_for("door.scan_page", event_id=event_id))
    result = door.admit(code, event_id, session.get(GATE_KEY), current_user._get_current_object())
    return _scan_page(door.get_show(event_id), result=result)


@bp.route("/<event_id>/counts")
@roles_required("door")
def counts(event_id):
    """The live counters (polled every few seconds)."""
    event = door.get_show(event_id)
    return render("door/_counts.html", event=event, counts=door.door_counts(event.pk))


@bp.route("/<event_id>/undo", methods=["POST"])
@roles_required("manager")
def undo(event_id):
    """A manager undoes an admission (needs a recent sign-in and a reason; audited)."""
    if not recent_sign_in():
        return go(url_for("auth.reauthenticate", next=url_for("door.scan_page", event_id=event_id)))
    ticket = door.undo_admission(request.form.get("code", ""), event_id, current_user._get_current_object(),
                                 request.form.get("reason", ""))
    return _scan_page(door.get_show(event_id), undone=ticket)
