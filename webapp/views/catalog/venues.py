"""Venue pages."""
from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...forms.catalog import VenueForm
from ...security import roles_required
from ...services import venues as venue_service
from ..helpers import go, render, submit
from . import EDITORS, bp


def _save(form, venue=None):
    values = dict(name=form.name.data, capacity=form.capacity.data, kind=form.kind.data,
                  timezone=(form.timezone.data or "").strip())
    if venue is None:
        return venue_service.create_venue(current_user, **values)
    return venue_service.update_venue(current_user, venue, **values)


@bp.route("/venues")
@roles_required(*EDITORS)
def venues():
    """All venues."""
    return render("catalog/venues.html", venues=venue_service.list_venues())


@bp.route("/venues/new", methods=["GET", "POST"], defaults={"venue_id": None})
@bp.route("/venues/<venue_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def venue_form(venue_id):
    """Create or edit a venue."""
    venue = venue_service.get_venue(venue_id) if venue_id else None
    form = VenueForm(obj=venue)
    saved, status = submit(form, lambda: _save(form, venue))
    if saved:
        flash(_("Venue “%(name)s” saved.", name=saved.name), "success")
        return go(url_for("catalog.venues"))
    return render("catalog/venue_form.html", "catalog/_venue_form.html", form=form, venue=venue, status=status)
