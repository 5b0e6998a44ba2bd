"""Venues as JSON: listed by every reader, created and changed by admins (same service and rules as the pages)."""
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ...models.venue import VENUE_KINDS
from ...security import roles_required
from ...services import venues as venue_service
from ...timezones import DEFAULT_TZ
from ..catalog import EDITORS, READERS
from . import answers, bp
from .schemas import In, Int, PageQuery, PageSchema, Text, page_of, patch_of


class VenueIn(In):
    name = Text(120, 1, required=True)
    capacity = Int(required=True, validate=validate.Range(1, venue_service.MAX_CAPACITY))
    kind = fields.String(load_default="general", validate=validate.OneOf(VENUE_KINDS))
    timezone = Text(64, 1, load_default=DEFAULT_TZ, metadata={"description": "an IANA zone, e.g. America/Sao_Paulo"})


VenuePatch = patch_of(VenueIn, "VenuePatch")


class VenueOut(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    capacity = Int(required=True)
    kind = fields.String(required=True)
    timezone = fields.String(required=True)


class VenuePage(PageSchema):
    items = fields.List(fields.Nested(VenueOut), required=True)


@bp.route("/venues")
@roles_required(*READERS)
@bp.doc(tags=["venues"])
@bp.arguments(PageQuery, location="query")
@bp.response(200, VenuePage)
@answers(400, 401, 403)
def list_venues(args):
    """Every venue, by name."""
    return page_of(venue_service.list_venues(), args["page"], args["per_page"])


@bp.route("/venues", methods=["POST"])
@roles_required(*EDITORS)
@bp.doc(tags=["venues"])
@bp.arguments(VenueIn)
@bp.response(201, VenueOut)
@answers(400, 401, 403, 422)
def create_venue(body):
    """Create a venue."""
    return venue_service.create_venue(current_user, **body)


@bp.route("/venues/<venue_id>")
@roles_required(*READERS)
@bp.doc(tags=["venues"])
@bp.response(200, VenueOut)
@answers(401, 403, 404)
def get_venue(venue_id):
    """One venue."""
    return venue_service.get_venue(venue_id)


@bp.route("/venues/<venue_id>", methods=["PATCH"])
@roles_required(*EDITORS)
@bp.doc(tags=["venues"])
@bp.arguments(VenuePatch)
@bp.response(200, VenueOut)
@answers(400, 401, 403, 404, 422)
def update_venue(body, venue_id):
    """Change the fields sent (shows already created keep their own capacity)."""
    venue = venue_service.get_venue(venue_id)
    values = {k: getattr(venue, k) for k in ("name", "capacity", "kind", "timezone")}
    return venue_service.update_venue(current_user, venue, **{**values, **body})
