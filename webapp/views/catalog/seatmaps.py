"""The seat map builder of a venue: every action saves the map and answers with the whole builder."""
from flask import Response, redirect, request, url_for
from flask_login import current_user

from ...forms.seatmaps import BlockForm, ImportForm, MapForm, SeatForm, TablesForm, ZoneForm
from ...security import roles_required
from ...services import ServiceError
from ...services import seat_layout as layout
from ...services import seat_svg
from ...services import seatmaps as service
from ...services import venues as venue_service
from ..helpers import form_error, render
from . import EDITORS, bp

FORMS = {"zone": ZoneForm, "block": BlockForm, "tables": TablesForm, "seat": SeatForm, "import": ImportForm,
         "remove": MapForm}


def _forms(data, seat, failed):
    forms = {}
    for name, cls in FORMS.items():
        form = failed[1] if failed and failed[0] == name else cls(prefix=name, formdata=None,
                                                                    obj=_SeatObj(seat) if name == "seat" else None)
        form.version.data = data["version"]
        if hasattr(form, "zone"):
            form.zone.choices = [(z["code"], f"{z['name']} ({z['code']})") for z in data["zones"]]
        forms[name] = form
    return forms


class _SeatObj:
    def __init__(self, seat):
        self.__dict__.update(seat or {})


def _builder(venue, selected=None, failed=None, status=200, errors=None):
    data = service.as_data(service.map_of(venue))
    seat = next((s for s in data["seats"] if s["sid"] == selected), None)
    svg = seat_svg.draw(seat_svg.map_seats(data), data["zones"], data["stage"], selected=seat and seat["sid"])
    return render("seats/builder.html", "seats/_builder.html", status, venue=venue, data=data, svg=svg, seat=seat,
                  forms=_forms(data, seat, failed), map_errors=errors or [],
                  sellable=service.sellable_count(data))


def _act(venue_id, name, action, selected=None):
    """Validate the named form and run `action(venue, form)`; the builder again, with errors on a refusal."""
    venue = venue_service.get_venue(venue_id)
    form = FORMS[name](prefix=name)
    if hasattr(form, "zone"):
        form.zone.choices = [(z["code"], z["code"]) for z in service.as_data(service.map_of(venue))["zones"]]
    errors, status = [], 400
    if form.validate_on_submit():
        try:
            action(venue, form)
            if not request.htmx:
                return redirect(url_for("catalog.seatmap", venue_id=venue.pk, seat=selected))
            return _builder(venue, selected)
        except service.MapInvalid as exc:
            errors = exc.errors
        except ServiceError as exc:
            form_error(form, exc)
            status = exc.status
    return _builder(venue, selected, (name, form), status, errors)


@bp.route("/venues/<venue_id>/seatmap")
@roles_required(*EDITORS)
def seatmap(venue_id):
    """The builder: the map drawn, the seat chosen (?seat=sid) and the forms that change it."""
    return _builder(venue_service.get_venue(venue_id), request.args.get("seat", "")[:32])


@bp.route("/venues/<venue_id>/seatmap/zones", methods=["POST"])
@roles_required(*EDITORS)
def seatmap_zone(venue_id):
    """Add a zone, or change the zone with that code."""
    return _act(venue_id, "zone", lambda v, f: service.add_zone(
        current_user, v, f.version.data, code=f.code.data, name=f.name.data.strip(), colour=f.colour.data))


@bp.route("/venues/<venue_id>/seatmap/zones/<code>/delete", methods=["POST"])
@roles_required(*EDITORS)
def seatmap_zone_delete(venue_id, code):
    """Remove a zone no seat uses."""
    return _act(venue_id, "remove", lambda v, f: service.delete_zone(current_user, v, f.version.data, code[:16]))


def _placed(form, cls):
    fields = {k: getattr(form, k).data for k in cls.__dataclass_fields__}
    return cls(**fields)


@bp.route("/venues/<venue_id>/seatmap/blocks", methods=["POST"])
@roles_required(*EDITORS)
def seatmap_block(venue_id):
    """Add a block of rows × seats."""
    return _act(venue_id, "block", lambda v, f: service.add_block(
        current_user, v, f.version.data, _placed(f, layout.Block)))


@bp.route("/venues/<venue_id>/seatmap/tables", methods=["POST"])
@roles_required(*EDITORS)
def seatmap_tables(venue_id):
    """Add round tables."""
    return _act(venue_id, "tables", lambda v, f: service.add_tables(
        current_user, v, f.version.data, _placed(f, layout.Tables)))


@bp.route("/venues/<venue_id>/seatmap/seats/<sid>", methods=["POST"])
@roles_required(*EDITORS)
def seatmap_seat(venue_id, sid):
    """Change one seat: labels, zone, flags, position."""
    def edit(v, f):
        changes = {k: getattr(f, k).data for k in ("section", "row", "number", "zone", "flags", "x", "y")}
        service.edit_seat(current_user, v, f.version.data, sid, **changes)
    return _act(venue_id, "seat", edit, selected=sid[:32])


@bp.route("/venues/<venue_id>/seatmap/seats/<sid>/delete", methods=["POST"])
@roles_required(*EDITORS)
def seatmap_seat_delete(venue_id, sid):
    """Remove one seat."""
    return _act(venue_id, "remove", lambda v, f: service.delete_seat(current_user, v, f.version.data, sid))


@bp.route("/venues/<venue_id>/seatmap/import", methods=["POST"])
@roles_required(*EDITORS)
def seatmap_import(venue_id):
    """Replace the map with an uploaded JSON file."""
    return _act(venue_id, "import", lambda v, f: service.import_json(
        current_user, v, f.version.data, f.file.data.read(service.MAX_JSON_BYTES + 1)))


@bp.route("/venues/<venue_id>/seatmap.json")
@roles_required(*EDITORS)
def seatmap_export(venue_id):
    """The map as a JSON file to download."""
    venue = venue_service.get_venue(venue_id)
    name = layout.code_of(venue.name, 40).lower() or "venue"
    return Response(service.export_json(venue), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="seatmap-{name}.json"'})
