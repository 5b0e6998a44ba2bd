"""Seat maps: build (blocks, tables, single-seat edits), validate, import/export JSON and save safely."""
import json
import math
import re

from flask_babel import gettext as _

from .. import db
from ..models import Event, SeatMap, Venue
from ..models.base import utcnow
from ..models.seatmap import SEAT_FLAGS
from . import Conflict, ServiceError
from . import seat_layout as layout
from .audit import record

FORMAT = "bilheteria.seatmap/1"
MAX_SEATS, MAX_ZONES, MAX_JSON_BYTES = 10_000, 20, 4_000_000
SID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
ZONE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
SEAT_FIELDS = ("sid", "section", "row", "number", "table", "x", "y", "zone", "rank", "flags")


class MapInvalid(ServiceError):
    """The map breaks rules; `errors` lists each one as {"field": "seats[3].zone", "message": ...}."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]), "map")
        self.errors = errors


def map_of(venue):
    """The venue's seat map, or None."""
    return SeatMap.objects(venue=venue).first()


def as_data(seatmap):
    """A map as plain data (zones, seats, stage, version): what every edit works on and the export writes."""
    if seatmap is None:
        return {"zones": [], "seats": [], "stage": {}, "version": 0}
    return {"zones": [{"code": z.code, "name": z.name, "colour": z.colour} for z in seatmap.zones],
            "seats": [{f: (list(s[f]) if f == "flags" else s[f]) for f in SEAT_FIELDS} for s in seatmap.seats],
            "stage": dict(seatmap.stage or {}), "version": seatmap.version}


def sellable_count(seatmap):
    """Seats that can be sold: every seat not flagged not_for_sale (the venue's capacity)."""
    seats = seatmap["seats"] if isinstance(seatmap, dict) else (seatmap.seats if seatmap else [])
    return sum(1 for s in seats if "not_for_sale" not in (s["flags"] or []))


# --- validation ------------------------------------------------------------------------------------------


def _text(value, limit, required=True):
    if value is None and not required:
        return None, None
    if not isinstance(value, str) or (required and not value.strip()):
        return None, _("Required text.")
    if len(value.strip()) > limit:
        return None, _("At most %(n)d characters.", n=limit)
    return value.strip(), None


def _number(value, low, high, whole=False):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not low <= value <= high or (whole and value != int(value)):
        return None, _("A number from %(low)d to %(high)d.", low=low, high=high)
    return (int(value) if whole else round(float(value), 3)), None


def _zones(raw, errors):
    if not isinstance(raw, list) or len(raw) > MAX_ZONES:
        errors.append({"field": "zones", "message": _("A list of at most %(n)d zones.", n=MAX_ZONES)})
        return []
    zones = []
    for i, zone in enumerate(raw):
        zone = zone if isinstance(zone, dict) else {}
        code, name, colour = zone.get("code"), zone.get("name"), zone.get("colour")
        if not isinstance(code, str) or not ZONE_CODE.match(code):
            errors.append({"field": f"zones[{i}].code", "message": _("Letters, digits, - or _ (at most 16).")})
        elif code in {z["code"] for z in zones}:
            errors.append({"field": f"zones[{i}].code", "message": _("Zone %(code)s appears twice.", code=code)})
        name, problem = _text(name, 60)
        if problem:
            errors.append({"field": f"zones[{i}].name", "message": problem})
        if not isinstance(colour, str) or not COLOUR.match(colour):
            errors.append({"field": f"zones[{i}].colour", "message": _("A colour as #RRGGBB.")})
        zones.append({"code": code, "name": name, "colour": colour})
    return zones


def _seat(i, raw, zone_codes, errors):
    def bad(field, message):
        errors.append({"field": f"seats[{i}].{field}", "message": message})

    raw = raw if isinstance(raw, dict) else {}
    seat = {"sid": raw.get("sid"), "flags": raw.get("flags") or [], "table": None}
    if not isinstance(seat["sid"], str) or not SID.match(seat["sid"]):
        bad("sid", _("Letters, digits, '.', '-' or '_' (at most 32)."))
    for field, limit, required in (("section", 40, False), ("row", 40, False), ("number", 8, True),
                                   ("table", 40, False)):
        value, problem = _text(raw.get(field, "" if field != "table" else None), limit, required)
        seat[field] = value if field == "table" else (value or "")
        if problem:
            bad(field, problem)
    for field, low, high, whole in (("x", -10000, 10000, False), ("y", -10000, 10000, False),
                                    ("rank", 0, 1_000_000, True)):
        seat[field], problem = _number(raw.get(field, 0), low, high, whole)
        if problem:
            bad(field, problem)
    seat["zone"] = raw.get("zone")
    if seat["zone"] not in zone_codes:
        bad("zone", _("No such zone: %(code)s.", code=str(seat["zone"])[:16]))
    if not isinstance(seat["flags"], list) or not set(seat["flags"]) <= set(SEAT_FLAGS):
        bad("flags", _("Flags are among: %(flags)s.", flags=", ".join(SEAT_FLAGS)))
    return seat


def validate(data):
    """Clean map data (zones, seats, stage) or MapInvalid listing every problem by field."""
    errors = []
    if not isinstance(data, dict):
        raise MapInvalid([{"field": "map", "message": _("The map must be a JSON object.")}])
    zones = _zones(data.get("zones", []), errors)
    raw_seats = data.get("seats", [])
    if not isinstance(raw_seats, list) or len(raw_seats) > MAX_SEATS:
        errors.append({"field": "seats", "message": _("A list of at most %(n)d seats.", n=MAX_SEATS)})
        raw_seats = []
    codes, seats, seen = {z["code"] for z in zones}, [], set()
    for i, raw in enumerate(raw_seats):
        seat = _seat(i, raw, codes, errors)
        if seat["sid"] in seen:
            errors.append({"field": f"seats[{i}].sid", "message": _("Seat %(sid)s appears twice.", sid=seat["sid"])})
        seen.add(seat["sid"])
        seats.append(seat)
    stage = data.get("stage") or {}
    if not isinstance(stage, dict) or any(_number(stage.get(k, 0), -10000, 10000)[1] for k in "xywh"):
        errors.append({"field": "stage", "message": _("The stage is {x, y, w, h, label} in seat units.")})
        stage = {}
    if errors:
        raise MapInvalid(errors[:50])
    if stage:
        stage = {k: float(stage.get(k, 0)) for k in "xywh"} | {
            "label": str(stage.get("label") or "")[:40], "auto": bool(stage.get("auto"))}
    return {"zones": zones, "seats": seats, "stage": stage}


# --- saving ------------------------------------------------------------------------------------------------


def _sold_sids(venue, session=None):
    """{sid: zone} of seats sold in a show of this venue still to happen (show_seats, raw: seating owns it)."""
    events = [e.pk for e in Event.objects(venue=venue, status__ne="finished").only("id")]
    rows = db.database()["show_seats"].find({"event_id": {"$in": events}, "status": "sold"},
                                            {"sid": 1, "zone": 1}, session=session)
    return {row["sid"]: row.get("zone") for row in rows}


def _refuse_losing_sold(old, new, sold):
    old_zone = {s["sid"]: s["zone"] for s in old["seats"]}
    new_zone = {s["sid"]: s["zone"] for s in new["seats"]}
    for sid in sold:
        if sid in old_zone and sid not in new_zone:
            raise Conflict(_("Seat %(sid)s is sold for a show: it cannot be removed.", sid=sid), "map")
        if sid in old_zone and new_zone.get(sid) != old_zone[sid]:
            raise Conflict(_("Seat %(sid)s is sold for a show: its zone cannot change.", sid=sid), "map")


def save(actor, venue, data, version, action="seatmap.save"):
    """Validate and store the whole map if it is still at `version`; bumps the version, sets the capacity."""
    clean = validate(data)
    if not clean["stage"] or clean["stage"].get("auto"):
        clean["stage"] = layout.stage_over(clean["seats"], "")  # no label: drawn as "Stage" in the reader's language

    def write(session):
        current = SeatMap._get_collection().find_one({"venue": venue.pk}, session=session)
        old = {"seats": (current or {}).get("seats", []), "version": (current or {}).get("version", 0)}
        if old["version"] != version:
            raise Conflict(_("Someone else changed this map (now version %(v)d). Reload it and try again.",
                             v=old["version"]), "map")
        _refuse_losing_sold(old, clean, _sold_sids(venue, session))
        document = SeatMap(venue=venue, version=version + 1, updated_at=utcnow(), **clean)
        document.validate()
        fields = {k: v for k, v in document.to_mongo().items() if k != "_id"}
        SeatMap._get_collection().update_one({"venue": venue.pk}, {"$set": fields}, upsert=True, session=session)
        sellable = sellable_count(clean)
        venue_fields = {"kind": "reserved"} | ({"capacity": sellable} if sellable else {})
        Venue._get_collection().update_one({"_id": venue.pk}, {"$set": venue_fields}, session=session)
        record(action, actor, session, target=venue, before={"version": version, "seats": len(old["seats"])},
               after={"version": version + 1, "seats": len(clean["seats"]), "capacity": sellable})

    db.run_in_transaction(write)
    venue.reload()
    return map_of(venue)


# --- the builder's actions: each one reads the map, changes it and saves it ----------------------------------


def add_zone(actor, venue, version, *, code, name, colour):
    """Add a zone (price category), or rename/recolour the zone with this code."""
    data = as_data(map_of(venue))
    zones = [z for z in data["zones"] if z["code"] != code]
    data["zones"] = [*zones, {"code": code, "name": name, "colour": colour}]
    return _save_edit(actor, venue, data, version, "zones")


def delete_zone(actor, venue, version, code):
    """Remove a zone no seat uses."""
    data = as_data(map_of(venue))
    if any(s["zone"] == code for s in data["seats"]):
        raise ServiceError(_("Seats use zone %(code)s: move them to another zone first.", code=code), "code")
    data["zones"] = [z for z in data["zones"] if z["code"] != code]
    return _save_edit(actor, venue, data, version, "zones")


def _add_seats(actor, venue, version, seats):
    data = as_data(map_of(venue))
    if not any(z["code"] == seats[0]["zone"] for z in data["zones"]):
        raise ServiceError(_("Choose one of the map's zones (add a zone first)."), "zone")
    taken = {s["sid"] for s in data["seats"]} & {s["sid"] for s in seats}
    if taken:
        raise ServiceError(_("Seat %(sid)s already exists: choose another section, first row or number.",
                             sid=sorted(taken)[0]), "section")
    data["seats"] += seats
    layout.default_ranks(data["seats"], None if data["stage"].get("auto", True) else data["stage"])
    return _save_edit(actor, venue, data, version, "section")


def add_block(actor, venue, version, block):
    """Add a block of rows × seats (see seat_layout.Block) and rank the whole map again."""
    return _add_seats(actor, venue, version, layout.block_seats(block))


def add_tables(actor, venue, version, tables):
    """Add round tables (see seat_layout.Tables) and rank the whole map again."""
    return _add_seats(actor, venue, version, layout.table_seats(tables))


def edit_seat(actor, venue, version, sid, **changes):
    """Change one seat's row/number/table label, zone, flags or position; its sid stays."""
    data = as_data(map_of(venue))
    seat = next((s for s in data["seats"] if s["sid"] == sid), None)
    if seat is None:
        raise ServiceError(_("Seat %(sid)s is not on this map.", sid=sid[:32]), "sid")
    seat.update({k: v for k, v in changes.items() if k in SEAT_FIELDS and k != "sid"})
    if seat["table"] and changes.get("row"):  # a table seat's "row" is its table
        seat["table"] = seat["row"]
    return _save_edit(actor, venue, data, version, "seat")


def delete_seat(actor, venue, version, sid):
    """Remove one seat (refused when it is sold for a show)."""
    data = as_data(map_of(venue))
    data["seats"] = [s for s in data["seats"] if s["sid"] != sid]
    return _save_edit(actor, venue, data, version, "seat")


def _save_edit(actor, venue, data, version, field):
    try:
        return save(actor, venue, data, version)
    except MapInvalid as exc:  # an edit's mistake belongs to the form that made it
        raise ServiceError(exc.errors[0]["message"], field) from None


# --- JSON ----------------------------------------------------------------------------------------------------


def export_json(venue):
    """The venue's map as JSON text (re-importable)."""
    data = as_data(map_of(venue))
    return json.dumps({"format": FORMAT, "venue": venue.name, **data}, ensure_ascii=False, indent=1)


def import_json(actor, venue, version, text):
    """Replace the venue's map with the map in JSON `text` (MapInvalid lists what is wrong)."""
    if isinstance(text, bytes):
        if len(text) > MAX_JSON_BYTES:
            raise MapInvalid([{"field": "file", "message": _("The file is too large.")}])
        text = text.decode("utf-8-sig", errors="replace")  # a BOM (some editors write one) is no error
    try:
        data = json.loads(text or "")
    except ValueError as exc:
        raise MapInvalid([{"field": "file", "message": _("Not valid JSON (line %(line)d).",
                                                          line=getattr(exc, "lineno", 0))}]) from None
    if isinstance(data, dict) and data.get("format", FORMAT) != FORMAT:
        raise MapInvalid([{"field": "format", "message": _("Not a Bilheteria seat map.")}])
    return save(actor, venue, data, version, action="seatmap.import")
