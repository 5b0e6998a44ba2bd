"""Shows, their price tiers and venues as JSON (same services and rules as the pages)."""
from datetime import date

from flasgger import swag_from
from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ...forms.catalog import EventForm, TierForm, fill_times
from ...models import Inventory
from ...security import roles_required
from ...services import ServiceError
from ...services import counters as counter_service
from ...services import events as event_service
from ...services import lifecycle
from ...services import tiers as tier_service
from ...services import venues as venue_service
from ...timezones import utc_from_date
from ..catalog import EDITORS, READERS
from . import as_formdata, bp, form_errors, iso, json_body

EVENT_RENAMES = {"venue_id": "venue"}
TIER_RENAMES = {"price_cents": "price"}
EVENT_FIELDS = ("title", "description", "venue_id", "starts_at", "ends_at", "doors_at", "capacity", "max_per_order",
                "concession_cap_pct", "sales_start", "sales_end")
TIER_FIELDS = ("name", "price_cents", "quota", "max_per_order", "is_concession", "sales_start", "sales_end", "zone")
TIMES = "Times: ISO 8601 with an offset (2025-12-31T21:00:00-03:00) or without one, read in the venue's zone."


def _spec(tag, summary, body=None, params=(), ok="200"):
    parameters = [{"in": "path", "name": p, "type": "string", "required": True} for p in params]
    if body:
        parameters.append({"in": "body", "name": "body", "schema": {"type": "object", "properties": {
            f: {"type": "integer" if f in ("capacity", "max_per_order", "concession_cap_pct", "price_cents", "quota")
                else "boolean" if f == "is_concession" else "string"} for f in body}}})
    return {"tags": [tag], "summary": summary, "description": TIMES, "parameters": parameters,
            "responses": {ok: {"description": "OK"}, "400": {"description": "{error, fields}"},
                          "401": {"description": "no or bad token"}, "403": {"description": "role refused"},
                          "404": {"description": "not found"}, "409": {"description": "refused by a rule"}}}


def event_json(event, counter=None):
    """A show as the API shows it (times in UTC; sold/remaining from its total counter)."""
    counter = counter or Inventory.objects(key=Inventory.event_key(event.pk)).first()
    return {"id": str(event.pk), "title": event.title, "description": event.description or "",
            "venue": {"id": str(event.venue.pk), "name": event.venue.name, "timezone": event.venue.timezone},
            "status": event.status, "starts_at": iso(event.starts_at), "ends_at": iso(event.ends_at),
            "doors_at": iso(event.doors_at), "capacity": event.capacity, "max_per_order": event.max_per_order,
            "concession_cap_pct": event.concession_cap_pct, "sales_start": iso(event.sales_start),
            "sales_end": iso(event.sales_end),  # the show's own override (null: the default)
            "sales_close_at": iso(event_service.sales_close_at(event.starts_at, event.ends_at, event.sales_end)),
            "sold": counter.sold if counter else 0,
            "remaining": counter.remaining if counter else 0}


def tier_json(tier, counter=None):
    """A price tier as the API shows it (price in integer cents)."""
    counter = counter or Inventory.objects(key=Inventory.tier_key(tier.pk)).first()
    return {"id": str(tier.pk), "event_id": str(tier.event.pk), "name": tier.name, "price_cents": tier.price_cents,
            "quota": tier.quota, "sold": counter.sold if counter else 0,
            "remaining": counter.remaining if counter else 0, "max_per_order": tier.max_per_order,
            "is_concession": tier.is_concession, "sales_start": iso(tier.sales_start), "sales_end": iso(tier.sales_end),
            "zone": tier.zone}


def _money_text(body):
    # A JSON price is integer cents; the tier form reads "1234.50" in English notation.
    if "price_cents" not in body:
        return body
    cents = body["price_cents"]
    if not isinstance(cents, int) or isinstance(cents, bool) or cents < 0:
        raise ServiceError(_("price_cents must be a whole, non-negative number of cents."), "price_cents")
    return dict(body, price_cents=f"{cents // 100}.{cents % 100:02d}")


def _event_form(body, event=None):
    """An EventForm filled from the show's current values (PATCH) overlaid with the JSON body."""
    if event is None:
        body = {"max_per_order": 10, "concession_cap_pct": 40, **body}  # the page's defaults
    form = EventForm(formdata=as_formdata({k: v for k, v in body.items() if k in EVENT_FIELDS}, EVENT_RENAMES),
                     meta={"csrf": False})
    form.venue.choices = [(str(v.pk), v.name) for v in venue_service.list_venues()]
    if event is not None:
        saved = EventForm(obj=event, formdata=None, meta={"csrf": False})
        fill_times(saved, event, event.venue.timezone, ("starts_at", "ends_at", "doors_at", "sales_start", "sales_end"))
        saved.venue.data = str(event.venue.pk)
        _overlay(form, saved, body, EVENT_RENAMES)
    return form


def _overlay(form, saved, body, renames):
    """PATCH: the fields not in the body keep their saved values."""
    sent = {renames.get(k, k) for k in body}
    for field in form:
        if field.name not in sent:
            old = saved[field.name]
            field.data = old.data
            field.raw_data = old.raw_data or ([str(old.data)] if old.data not in (None, "") else [])


def _tier_form(body, event, tier=None):
    form = TierForm(formdata=None, meta={"csrf": False})
    form.price.locale = "en"  # set before the data is read
    form.process(as_formdata({k: v for k, v in _money_text(body).items() if k in TIER_FIELDS}, TIER_RENAMES))
    if tier is not None:
        saved = TierForm(formdata=None, meta={"csrf": False})
        saved.fill(tier, event.venue.timezone)
        _overlay(form, saved, body, TIER_RENAMES)
    return form


@bp.route("/events")
@roles_required(*READERS)
@swag_from(_spec("events", "Shows, soonest first (q, status, venue_id, from, to: YYYY-MM-DD, page)"))
def list_events():
    """Shows matching the filters, one page at a time."""
    args, tz = request.args, current_app.config["BABEL_DEFAULT_TIMEZONE"]
    try:
        venue = venue_service.get_venue(args["venue_id"]) if args.get("venue_id") else None
        day = {k: date.fromisoformat(args[k]) for k in ("from", "to") if args.get(k)}
        page = int(args.get("page", 1))
    except ValueError:
        raise ServiceError(_("Check the filters.")) from None
    found = event_service.search_events(text=args.get("q"), status=args.get("status"), venue=venue, page=page,
                                  starts_from=utc_from_date(day["from"], tz) if "from" in day else None,
                                  starts_before=utc_from_date(day["to"], tz, True) if "to" in day else None)
    counters = counter_service.event_counters(e.pk for e in found.items)
    return jsonify(items=[event_json(e, counters.get(e.pk)) for e in found.items], page=found.page, pages=found.pages,
                   total=found.total)


@bp.route("/events", methods=["POST"])
@roles_required(*EDITORS)
@swag_from(_spec("events", "Create a show (draft)", EVENT_FIELDS, ok="201"))
def create_event():
    """Create a show as a draft."""
    form = _event_form(json_body())
    if not form.validate():
        return form_errors(form, EVENT_RENAMES)
    event = event_service.create_event(current_user, form.to_fields(venue_service.get_venue(form.venue.data)))
    return jsonify(event_json(event)), 201


@bp.route("/events/<event_id>")
@roles_required(*READERS)
@swag_from(_spec("events", "One show", params=["event_id"]))
def get_event(event_id):
    """One show."""
    return jsonify(event_json(event_service.get_event(event_id)))


@bp.route("/events/<event_id>", methods=["PATCH"])
@roles_required(*EDITORS)
@swag_from(_spec("events", "Change a show's fields and/or its status", EVENT_FIELDS + ("status",), ["event_id"]))
def update_event(event_id):
    """Change the fields sent (the others keep their values); `status` moves it along its lifecycle."""
    event, body = event_service.get_event(event_id), json_body()
    if set(body) & set(EVENT_FIELDS):
        form = _event_form(body, event)
        if not form.validate():
            return form_errors(form, EVENT_RENAMES)
        event_service.update_event(current_user, event, form.to_fields(venue_service.get_venue(form.venue.data)))
    if "status" in body:
        lifecycle.set_status(current_user, event, str(body["status"]))
    return jsonify(event_json(event_service.get_event(event_id)))


@bp.route("/events/<event_id>", methods=["DELETE"])
@roles_required(*EDITORS)
@swag_from(_spec("events", "Delete a draft show that sold nothing", params=["event_id"], ok="204"))
def delete_event(event_id):
    """Delete a draft show that sold nothing (otherwise 409: cancel it)."""
    lifecycle.delete_event(current_user, event_service.get_event(event_id))
    return "", 204


@bp.route("/events/<event_id>/ticket-types")
@roles_required(*READERS)
@swag_from(_spec("ticket types", "A show's price tiers", params=["event_id"]))
def list_ticket_types(event_id):
    """A show's price tiers with what each sold."""
    event = event_service.get_event(event_id)
    counters = counter_service.counters_for(event.pk)
    return jsonify(items=[tier_json(t, counters.get(Inventory.tier_key(t.pk))) for t in tier_service.list_tiers(event)])


@bp.route("/events/<event_id>/ticket-types", methods=["POST"])
@roles_required(*EDITORS)
@swag_from(_spec("ticket types", "Add a price tier", TIER_FIELDS, ["event_id"], ok="201"))
def create_ticket_type(event_id):
    """Add a price tier (price_cents is integer cents)."""
    event = event_service.get_event(event_id)
    form = _tier_form(json_body(), event)
    if not form.validate():
        return form_errors(form, TIER_RENAMES)
    return jsonify(tier_json(tier_service.create_tier(current_user, event, form.to_fields(event.venue.timezone)))), 201


@bp.route("/events/<event_id>/ticket-types/<tier_id>", methods=["PATCH"])
@roles_required(*EDITORS)
@swag_from(_spec("ticket types", "Change a price tier", TIER_FIELDS, ["event_id", "tier_id"]))
def update_ticket_type(event_id, tier_id):
    """Change the fields sent; the quota never goes below what was sold (409)."""
    event = event_service.get_event(event_id)
    tier = tier_service.get_tier(event, tier_id)
    form = _tier_form(json_body(), event, tier)
    if not form.validate():
        return form_errors(form, TIER_RENAMES)
    return jsonify(tier_json(tier_service.update_tier(current_user, event, tier, form.to_fields(event.venue.timezone))))


@bp.route("/events/<event_id>/ticket-types/<tier_id>", methods=["DELETE"])
@roles_required(*EDITORS)
@swag_from(_spec("ticket types", "Delete a price tier that sold nothing", params=["event_id", "tier_id"], ok="204"))
def delete_ticket_type(event_id, tier_id):
    """Delete a tier that sold nothing (otherwise 409)."""
    event = event_service.get_event(event_id)
    tier_service.delete_tier(current_user, event, tier_service.get_tier(event, tier_id))
    return "", 204


@bp.route("/venues")
@roles_required(*READERS)
@swag_from(_spec("venues", "Every venue"))
def list_venues():
    """Every venue."""
    return jsonify(items=[{"id": str(v.pk), "name": v.name, "capacity": v.capacity, "kind": v.kind,
                           "timezone": v.timezone} for v in venue_service.list_venues()])
