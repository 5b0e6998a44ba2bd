"""Show pages: list with filters, detail, create, edit, duplicate, lifecycle, delete."""
from flask import current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...forms.catalog import DuplicateForm, EventFilterForm, EventForm, TierForm
from ...models import EVENT_STATUSES, Inventory
from ...security import roles_required
from ...services import counters as counter_service
from ...services import events as event_service
from ...services import lifecycle
from ...services import tiers as tier_service
from ...services import venues as venue_service
from ...timezones import to_utc, utc_from_date
from ..helpers import go, render, submit
from . import EDITORS, READERS, bp


def _filter_form():
    form = EventFilterForm(request.args)
    form.status.choices = [("", _("Any status"))] + [(s, lifecycle.status_label(s)) for s in EVENT_STATUSES]
    form.venue.choices = [("", _("Any venue"))] + [(str(v.pk), v.name) for v in venue_service.list_venues()]
    return form


def _search(form):
    tz = current_app.config["BABEL_DEFAULT_TIMEZONE"]  # days of the filter are the casino's calendar days
    ok = form.validate()
    data = form.data if ok else {}
    venue = venue_service.get_venue(data["venue"]) if data.get("venue") else None
    return event_service.search_events(
        text=data.get("q"), status=data.get("status"), venue=venue, page=data.get("page") or 1,
        starts_from=utc_from_date(data["date_from"], tz) if data.get("date_from") else None,
        starts_before=utc_from_date(data["date_to"], tz, end_of_day=True) if data.get("date_to") else None)


@bp.route("/events")
@roles_required(*READERS)
def events():
    """Shows, searchable by title and filtered by dates, status and venue, a page at a time."""
    form = _filter_form()
    found = _search(form)
    counters = counter_service.event_counters(e.pk for e in found.items)
    return render("catalog/events.html", "catalog/_event_list.html", form=form, found=found, counters=counters,
                  status=400 if form.errors else 200)


def _event_form(event=None):
    form = EventForm(obj=event) if event and request.method == "GET" else EventForm()
    form.venue.choices = [(str(v.pk), v.name) for v in venue_service.list_venues()]
    if event and request.method == "GET":
        form.fill(event)
    return form


def _save_event(form, event):
    fields = form.to_fields(venue_service.get_venue(form.venue.data))
    if event is None:
        return event_service.create_event(current_user, fields)
    return event_service.update_event(current_user, event, fields)


@bp.route("/events/new", methods=["GET", "POST"], defaults={"event_id": None})
@bp.route("/events/<event_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def event_form(event_id):
    """Create a show (as a draft) or edit one."""
    event = event_service.get_event(event_id) if event_id else None
    form = _event_form(event)
    saved, status = submit(form, lambda: _save_event(form, event))
    if saved:
        flash(_("Show “%(title)s” saved.", title=saved.title), "success")
        return go(url_for("catalog.event", event_id=saved.pk))
    return render("catalog/event_form.html", "catalog/_event_form.html", form=form, event=event, status=status)


def show_event(event, tier_form=None, editing=None, status=200, **context):
    """The show page (or, for HTMX, its tiers section) with the tier form in the state given."""
    if tier_form is None:
        tier_form = TierForm(formdata=None)
    counters = counter_service.counters_for(event.pk)
    return render("catalog/event.html", "catalog/_tiers.html", event=event, tiers=tier_service.list_tiers(event),
                  counters=counters, total=counters.get(Inventory.event_key(event.pk)),
                  concession=counters.get(Inventory.concession_key(event.pk)), tier_form=tier_form,
                  editing=editing, transitions=lifecycle.allowed_transitions(event), status=status,
                  sales_close=event_service.sales_close_at(event.starts_at, event.ends_at, event.sales_end), **context)


@bp.route("/events/<event_id>")
@roles_required(*READERS)
def event(event_id):
    """A show: times in its venue's zone, its tiers and how full it is."""
    return show_event(event_service.get_event(event_id))


@bp.route("/events/<event_id>/duplicate", methods=["GET", "POST"])
@roles_required(*EDITORS)
def duplicate(event_id):
    """The same show on another date (a new draft with the same tiers)."""
    event = event_service.get_event(event_id)
    form, tz = DuplicateForm(), event.venue.timezone
    copy, status = submit(form, lambda: event_service.duplicate_event(
        current_user, event, starts_at=to_utc(form.starts_at.data, tz), ends_at=to_utc(form.ends_at.data, tz),
        doors_at=to_utc(form.doors_at.data, tz)))
    if copy:
        flash(_("Show duplicated as a draft."), "success")
        return go(url_for("catalog.event", event_id=copy.pk))
    return render("catalog/duplicate.html", "catalog/_duplicate_form.html", form=form, event=event, status=status)


@bp.route("/events/<event_id>/status", methods=["POST"])
@roles_required(*EDITORS)
def change_status(event_id):
    """Move the show along its lifecycle (refusals are shown with the reason)."""
    event = event_service.get_event(event_id)
    lifecycle.set_status(current_user, event, request.form.get("status", ""))
    flash(_("The show is now: %(status)s.", status=lifecycle.status_label(event.status)), "success")
    return go(url_for("catalog.event", event_id=event.pk))


@bp.route("/events/<event_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def delete(event_id):
    """Delete a draft show that sold nothing."""
    event = event_service.get_event(event_id)
    lifecycle.delete_event(current_user, event)
    flash(_("Show %(title)s deleted.", title=event.title), "success")
    return go(url_for("catalog.events"))
