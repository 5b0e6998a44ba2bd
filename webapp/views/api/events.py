"""Shows and their price tiers as JSON (same services and rules as the pages)."""
from dataclasses import fields as dataclass_fields

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ...models import EVENT_STATUSES, Inventory
from ...security import roles_required
from ...services import ServiceError
from ...services import counters as counter_service
from ...services import events as event_service
from ...services import lifecycle
from ...services import tiers as tier_service
from ...services import venues as venue_service
from ...services.events import EventFields
from ...services.tiers import MAX_PRICE_CENTS, TierFields
from ...timezones import to_utc, utc_from_date
from ..catalog import EDITORS, READERS
from . import answers, bp
from .schemas import Bool, Cents, Id, In, Int, PageQuery, PageSchema, Text, UtcDateTime, page_of, patch_of
from .venues import VenueOut

TIMES = ("starts_at", "ends_at", "doors_at", "sales_start", "sales_end")


class LocalTime(fields.DateTime):
    """ISO 8601; with an offset (or Z) it is that instant, without one it is read in the venue's time zone."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not 2000 <= value.year <= 2100:  # converting year 1 or 9999 across zones overflows
            raise ServiceError(_("Enter a date and time between the years 2000 and 2100."), attr)
        return value


def _event_fields(defaults):
    return {
        "title": Text(160, 1, required=defaults), "description": Text(4000),
        "venue_id": Id(required=defaults), "starts_at": LocalTime(required=defaults),
        "ends_at": LocalTime(required=defaults), "doors_at": LocalTime(allow_none=True),
        "capacity": Int(validate=validate.Range(1, venue_service.MAX_CAPACITY), allow_none=True),
        "max_per_order": Int(validate=validate.Range(1, 100), **({"load_default": 10} if defaults else {})),
        "concession_cap_pct": Int(validate=validate.Range(0, 100), **({"load_default": 40} if defaults else {})),
        "sales_start": LocalTime(allow_none=True),
        "sales_end": LocalTime(allow_none=True, metadata={"description": "null: the default (LATE_SALE_MINUTES)"}),
    }


EventIn = In.from_dict(_event_fields(True), name="EventIn")
EventPatch = In.from_dict({**_event_fields(False), "status": fields.String(validate=validate.OneOf(EVENT_STATUSES))},
                          name="EventPatch")


DuplicateIn = In.from_dict({"starts_at": LocalTime(required=True), "ends_at": LocalTime(required=True),
                            "doors_at": LocalTime(allow_none=True)}, name="DuplicateIn")


class EventQuery(PageQuery):
    q = Text(100)
    status = fields.String(validate=validate.OneOf(EVENT_STATUSES))
    venue_id = Id()
    from_ = fields.Date(data_key="from", metadata={"description": "first day (venue time), YYYY-MM-DD"})
    to = fields.Date(metadata={"description": "last day (venue time), YYYY-MM-DD"})


class EventOut(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    venue = fields.Nested(VenueOut, required=True)
    status = fields.String(required=True, validate=validate.OneOf(EVENT_STATUSES))
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(required=True)
    doors_at = UtcDateTime(allow_none=True)
    capacity = Int(required=True)
    max_per_order = Int(required=True)
    concession_cap_pct = Int(required=True)
    sales_start = UtcDateTime(allow_none=True)
    sales_end = UtcDateTime(allow_none=True, metadata={"description": "the show's own override (null: the default)"})
    sales_close_at = UtcDateTime(required=True)
    sold = Int(required=True)
    remaining = Int(required=True)


class EventPage(PageSchema):
    items = fields.List(fields.Nested(EventOut), required=True)


TierIn = In.from_dict({
    "name": Text(60, 1, required=True), "price_cents": Cents(MAX_PRICE_CENTS, required=True),
    "quota": Int(required=True, validate=validate.Range(0, 1_000_000)),
    "max_per_order": Int(validate=validate.Range(1, 100), allow_none=True), "is_concession": Bool(),
    "sales_start": LocalTime(allow_none=True), "sales_end": LocalTime(allow_none=True),
    "zone": Text(40, allow_none=True, metadata={"description": "a seated show: the zone whose seats it sells"})},
    name="TierIn")


TierPatch = patch_of(TierIn, "TierPatch")


class TierOut(Schema):
    id = fields.String(required=True)
    event_id = fields.String(required=True)
    name = fields.String(required=True)
    price_cents = Int(required=True)
    quota = Int(required=True)
    sold = Int(required=True)
    remaining = Int(required=True)
    max_per_order = Int(allow_none=True)
    is_concession = fields.Boolean(required=True)
    sales_start = UtcDateTime(allow_none=True)
    sales_end = UtcDateTime(allow_none=True)
    zone = fields.String(allow_none=True)


class TierPage(PageSchema):
    items = fields.List(fields.Nested(TierOut), required=True)


def event_json(event, counter=None):
    """A show as the API shows it (sold/remaining from its total counter)."""
    counter = counter or Inventory.objects(key=Inventory.event_key(event.pk)).first()
    return {"id": str(event.pk), "title": event.title, "description": event.description or "",
            "venue": event.venue, "status": event.status, "capacity": event.capacity,
            "max_per_order": event.max_per_order, "concession_cap_pct": event.concession_cap_pct,
            **{name: getattr(event, name) for name in TIMES},
            "sales_close_at": event_service.sales_close_at(event.starts_at, event.ends_at, event.sales_end),
            "sold": counter.sold if counter else 0, "remaining": counter.remaining if counter else 0}


def tier_json(tier, counter=None):
    """A price tier as the API shows it (price in integer cents)."""
    counter = counter or Inventory.objects(key=Inventory.tier_key(tier.pk)).first()
    return {**{f.name: getattr(tier, f.name) for f in dataclass_fields(TierFields)}, "id": str(tier.pk),
            "event_id": str(tier.event.pk), "sold": counter.sold if counter else 0,
            "remaining": counter.remaining if counter else 0}


def _merged(cls, saved, body, tz):
    """The saved values (PATCH) or the defaults, overlaid with the body's; naive times read in the zone `tz`."""
    values = {f.name: getattr(saved, f.name) for f in dataclass_fields(cls)} if saved is not None else {}
    values.update({k: to_utc(v, tz) if k in TIMES else v for k, v in body.items()
                   if k in cls.__dataclass_fields__})
    return cls(**values)


def _event_fields_of(body, event=None):
    venue = venue_service.get_venue(body["venue_id"]) if "venue_id" in body else event.venue
    return _merged(EventFields, event, {**body, "venue": venue}, venue.timezone)


@bp.route("/events")
@roles_required(*READERS)
@bp.doc(tags=["events"])
@bp.arguments(EventQuery, location="query")
@bp.response(200, EventPage)
@answers(400, 401, 403, 404)
def list_events(args):
    """Shows matching the filters, soonest first, one page at a time."""
    tz = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    venue = venue_service.get_venue(args["venue_id"]) if args.get("venue_id") else None
    found = event_service.search_events(
        text=args.get("q"), status=args.get("status"), venue=venue, page=args["page"], per_page=args["per_page"],
        starts_from=utc_from_date(args["from_"], tz) if args.get("from_") else None,
        starts_before=utc_from_date(args["to"], tz, True) if args.get("to") else None)
    counters = counter_service.event_counters(e.pk for e in found.items)
    return page_of([event_json(e, counters.get(e.pk)) for e in found.items], found.page, args["per_page"],
                   found.pages, found.total)


@bp.route("/events", methods=["POST"])
@roles_required(*EDITORS)
@bp.doc(tags=["events"])
@bp.arguments(EventIn)
@bp.response(201, EventOut)
@answers(400, 401, 403, 404, 422)
def create_event(body):
    """Create a show as a draft."""
    return event_json(event_service.create_event(current_user, _event_fields_of(body)))


@bp.route("/events/<event_id>")
@roles_required(*READERS)
@bp.doc(tags=["events"])
@bp.response(200, EventOut)
@answers(401, 403, 404)
def get_event(event_id):
    """One show."""
    return event_json(event_service.get_event(event_id))


@bp.route("/events/<event_id>", methods=["PATCH"])
@roles_required(*EDITORS)
@bp.doc(tags=["events"])
@bp.arguments(EventPatch)
@bp.response(200, EventOut)
@answers(400, 401, 403, 404, 409, 422)
def update_event(body, event_id):
    """Change the fields sent (the others keep their values); `status` moves it along its lifecycle."""
    event = event_service.get_event(event_id)
    if set(body) - {"status"}:
        event_service.update_event(current_user, event, _event_fields_of(body, event))
    if "status" in body:
        lifecycle.set_status(current_user, event, body["status"])
    return event_json(event_service.get_event(event_id))


@bp.route("/events/<event_id>/duplicate", methods=["POST"])
@roles_required(*EDITORS)
@bp.doc(tags=["events"])
@bp.arguments(DuplicateIn)
@bp.response(201, EventOut)
@answers(400, 401, 403, 404, 422)
def duplicate_event(body, event_id):
    """The same show on another date: a new draft with copies of its tiers (nothing sold)."""
    event = event_service.get_event(event_id)
    times = {k: to_utc(v, event.venue.timezone) for k, v in body.items()}
    return event_json(event_service.duplicate_event(current_user, event, **times))


@bp.route("/events/<event_id>", methods=["DELETE"])
@roles_required(*EDITORS)
@bp.doc(tags=["events"])
@bp.response(204)
@answers(401, 403, 404, 409, 422)
def delete_event(event_id):
    """Delete a draft show that sold nothing (otherwise 409: cancel it)."""
    lifecycle.delete_event(current_user, event_service.get_event(event_id))
    return "", 204


@bp.route("/events/<event_id>/ticket-types")
@roles_required(*READERS)
@bp.doc(tags=["ticket types"])
@bp.arguments(PageQuery, location="query")
@bp.response(200, TierPage)
@answers(400, 401, 403, 404)
def list_ticket_types(args, event_id):
    """A show's price tiers with what each sold."""
    event = event_service.get_event(event_id)
    counters = counter_service.counters_for(event.pk)
    tiers = [tier_json(t, counters.get(Inventory.tier_key(t.pk))) for t in tier_service.list_tiers(event)]
    return page_of(tiers, args["page"], args["per_page"])


@bp.route("/events/<event_id>/ticket-types", methods=["POST"])
@roles_required(*EDITORS)
@bp.doc(tags=["ticket types"])
@bp.arguments(TierIn)
@bp.response(201, TierOut)
@answers(400, 401, 403, 404, 409, 422)
def create_ticket_type(body, event_id):
    """Add a price tier (price_cents is integer cents)."""
    event = event_service.get_event(event_id)
    fields_ = _merged(TierFields, None, body, event.venue.timezone)
    return tier_json(tier_service.create_tier(current_user, event, fields_))


@bp.route("/events/<event_id>/ticket-types/<tier_id>", methods=["PATCH"])
@roles_required(*EDITORS)
@bp.doc(tags=["ticket types"])
@bp.arguments(TierPatch)
@bp.response(200, TierOut)
@answers(400, 401, 403, 404, 409, 422)
def update_ticket_type(body, event_id, tier_id):
    """Change the fields sent; the quota never goes below what was sold (409)."""
    event = event_service.get_event(event_id)
    tier = tier_service.get_tier(event, tier_id)
    fields_ = _merged(TierFields, tier, body, event.venue.timezone)
    return tier_json(tier_service.update_tier(current_user, event, tier, fields_))


@bp.route("/events/<event_id>/ticket-types/<tier_id>", methods=["DELETE"])
@roles_required(*EDITORS)
@bp.doc(tags=["ticket types"])
@bp.response(204)
@answers(401, 403, 404, 409)
def delete_ticket_type(event_id, tier_id):
    """Delete a tier that sold nothing (otherwise 409)."""
    event = event_service.get_event(event_id)
    tier_service.delete_tier(current_user, event, tier_service.get_tier(event, tier_id))
    return "", 204
