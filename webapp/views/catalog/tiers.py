"""Price tiers, edited inline on the show page (the tiers section is the HTMX fragment)."""
from flask import request, url_for
from flask_login import current_user

from ...forms.catalog import TierForm
from ...security import roles_required
from ...services import ServiceError
from ...services import events as event_service
from ...services import tiers as tier_service
from ..helpers import form_error, go
from . import EDITORS, bp
from .events import show_event


def _saved(event):
    # HTMX swaps the refreshed tiers section in place; without JS, back to the show page.
    return show_event(event) if request.htmx else go(url_for("catalog.event", event_id=event.pk))


@bp.route("/events/<event_id>/tiers", methods=["POST"])
@roles_required(*EDITORS)
def tier_create(event_id):
    """Add a price tier to the show."""
    event = event_service.get_event(event_id)
    form = TierForm()
    if form.validate():
        try:
            tier_service.create_tier(current_user, event, form.to_fields(event.venue.timezone))
        except ServiceError as exc:
            form_error(form, exc)
        else:
            return _saved(event)
    return show_event(event, tier_form=form, status=400)


@bp.route("/events/<event_id>/tiers/<tier_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def tier_edit(event_id, tier_id):
    """Edit a tier in place (GET shows its form in the tiers section)."""
    event = event_service.get_event(event_id)
    tier = tier_service.get_tier(event, tier_id)
    form = TierForm()
    if not form.is_submitted():
        form.fill(tier, event.venue.timezone)
        return show_event(event, tier_form=form, editing=tier)
    if form.validate():
        try:
            tier_service.update_tier(current_user, event, tier, form.to_fields(event.venue.timezone))
        except ServiceError as exc:
            form_error(form, exc)
        else:
            return _saved(event)
    return show_event(event, tier_form=form, editing=tier, status=400)


@bp.route("/events/<event_id>/tiers/<tier_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def tier_delete(event_id, tier_id):
    """Remove a tier that sold nothing."""
    event = event_service.get_event(event_id)
    tier_service.delete_tier(current_user, event, tier_service.get_tier(event, tier_id))
    return _saved(event)
