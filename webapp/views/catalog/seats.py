"""A show's seats on its admin page: managers hold seats back with a reason (house seats, technical) and release
them (the section is the HTMX fragment)."""
from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...forms.seats import SeatBlockForm
from ...security import roles_required
from ...services import events as event_service
from ...services import seat_blocks, seats
from ..helpers import go, submit
from . import bp
from .events import show_event

MANAGERS = ("manager", "admin")


@bp.app_context_processor
def _seat_helpers():
    return {"seat_section": seat_section, "show_is_seated": seats.is_seated}


def seat_section(event, form=None):
    """What the seats section shows: counts by status, the seats held back by reason, and the form."""
    if not seats.is_seated(event.pk):
        return None
    return {"counts": seats.status_counts(event.pk), "held_back": seat_blocks.held_back(event.pk),
            "form": form or SeatBlockForm(formdata=None), "examples": " ".join(seat_blocks.example_ids(event.pk))}


@bp.route("/events/<event_id>/seats/blocks", methods=["POST"])
@roles_required(*MANAGERS)
def seat_blocks_post(event_id):
    """Hold back (action=block) or release (action=release) the seats typed, with the reason chosen."""
    event = event_service.get_event(event_id)
    form = SeatBlockForm()
    releasing = request.form.get("action") == "release"
    if releasing:
        form.reason.validators = form.note.validators = []
    done, status = submit(form, lambda: (seat_blocks.unblock(current_user, event, form.seat_ids()) if releasing
                                         else seat_blocks.block(current_user, event, form.seat_ids(),
                                                                form.reason.data, form.note.data)), "seats")
    message = (_("Seats released for sale.") if releasing else _("Seats held back.")) if done else None
    if request.htmx and not request.htmx.boosted:  # the section swaps itself in place
        return render_template("catalog/_seat_blocks.html", event=event, done=message,
                               seating=seat_section(event, None if done else form)), status
    if done:
        flash(message, "success")
        return go(url_for("catalog.event", event_id=event.pk))
    return show_event(event, status=status, seat_form=form)
