"""Seats on staff screens: the seller's pick kept in step with the tickets on the POS screen, and live maps.

The seller picks seats on the map or types quantities; either way each zone gets as many seats as its tiers have
tickets (the rule of services/seats.py check_fit), so a click adds a ticket of the zone's tier and a quantity typed
completes the pick with the best available seats. Holding them is services/sales.hold_places' (through the
inventory); this module only decides which seats the screen asks for and draws them (services/seat_svg.py).
"""
from datetime import datetime, timedelta, timezone

from bson import ObjectId
from flask_babel import gettext as _

from ..models import SeatMap, ShowSeat, TicketType
from ..models.base import utcnow
from . import NotFound, ServiceError, seat_inventory, seat_svg, seats
from .ticket_print import seat_order, seat_text

# A change written just before a look but committed just after it is caught by the next look, which reaches back
# this far; seats sent twice are simply drawn again.
OVERLAP = timedelta(seconds=3)


def is_seated(event):
    """Whether the show sells numbered seats (its venue is reserved and it has its seats)."""
    return getattr(event.venue, "kind", None) == "reserved" and seats.is_seated(event.pk)


def _zones(seat_map):
    return [{"code": z.code, "name": z.name, "colour": z.colour} for z in seat_map.zones] if seat_map else []


def zone_names(event):
    """{zone code: name} of the show's map."""
    seat_map = SeatMap.objects(venue=event.venue).only("zones").first()
    return {z["code"]: z["name"] for z in _zones(seat_map)}


def drawing(event, hold_ids=(), selected=None, legend=True, picking=True):
    """The show's map as services/seat_svg.draw gives it: every seat with its status now (`hold_ids`: the
    viewer's holds, drawn as theirs; `picking` False for a map nobody picks on, e.g. the dashboard's)."""
    seat_map = SeatMap.objects(venue=event.venue).only("zones", "stage").first()
    view = seats.seat_view(event.pk, hold_ids=[h for h in hold_ids if h])
    return seat_svg.draw(view, _zones(seat_map), seat_map.stage if seat_map else None, selected=selected,
                         legend=legend, picking=picking)


def parse_since(text):
    """The `since` a live map sends back (the `now` of its last look), or None to draw every seat."""
    try:
        since = datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return since.astimezone(timezone.utc).replace(tzinfo=None) if since.tzinfo else since


def stamp(now=None):
    """The time a drawing was made, as a live map sends it back as `since`."""
    return (now or utcnow()).replace(tzinfo=timezone.utc).isoformat()


def changes(event, since, hold_ids=()):
    """{"now", "markup", "count"}: the drawing of the seats changed since `since` (all of them when None) and the
    time to ask from next; a live map replaces those seats only (its page drew every look they can use)."""
    now = utcnow()
    seat_map = SeatMap.objects(venue=event.venue).only("zones").first()
    view = seats.seat_view(event.pk, since=since - OVERLAP if since else None, hold_ids=[h for h in hold_ids if h])
    drawn = seat_svg.draw(view, _zones(seat_map), legend=False) if view else None
    return {"now": stamp(now), "markup": str(drawn["seats"]) if drawn else "", "count": len(view)}


def occupancy(event_id):
    """[{zone, seats, sold, held, blocked, free}] of a show, by zone (the (event_id, status) index)."""
    rows = {}
    for group in ShowSeat._get_collection().aggregate([
            {"$match": {"event_id": event_id}},
            {"$group": {"_id": {"zone": "$zone", "status": "$status"}, "n": {"$sum": 1}}}]):
        row = rows.setdefault(group["_id"]["zone"], {"zone": group["_id"]["zone"], "sold": 0, "held": 0,
                                                     "blocked": 0, "free": 0})
        row[group["_id"]["status"]] = row.get(group["_id"]["status"], 0) + group["n"]
    for row in rows.values():
        row["seats"] = row["sold"] + row["held"] + row["blocked"] + row["free"]
        sellable = row["seats"] - row["blocked"]
        row["pct"] = round(100 * row["sold"] / sellable) if sellable else 0
    return [rows[zone] for zone in sorted(rows, key=lambda z: z or "")]


# --- the seller's pick ---------------------------------------------------------------------------------------------

def _zone_of_tier(tiers):
    return {str(t.pk): t.zone for t in tiers}


def _default_tier(tiers, zone):
    """The tier a seat clicked in `zone` is sold as: the zone's first full-price tier (else any of the zone)."""
    zoned = [t for t in tiers if t.zone == zone]
    tier = next((t for t in zoned if not t.is_concession), zoned[0] if zoned else None)
    if tier is None:
        raise ServiceError(_("No ticket type sells zone %(zone)s.", zone=zone), "seats")
    return str(tier.pk)


def _seat(event_id, sid):
    found = ShowSeat.objects(event_id=event_id, sid=sid).only("sid", "zone", "status", "hold_id", "label").first() \
        if isinstance(sid, str) and 0 < len(sid) <= 32 else None
    if found is None:
        raise NotFound(_("This show has no seat %(seats)s.", seats=str(sid)[:32]), "seats")
    return found


def toggle(event_id, tiers, quantities, picked, sid, hold_id=None):
    """(quantities, picked) after the seller activates seat `sid`: a picked seat is let go with one ticket of its
    zone, another one is added with a ticket of its zone's tier — or SeatTaken saying why it cannot be had."""
    seat = _seat(event_id, sid)
    quantities, picked = dict(quantities), list(picked)
    zone_of = _zone_of_tier(tiers)
    if sid in picked:
        picked.remove(sid)
        default = _default_tier(tiers, seat.zone)
        # The zone's full-price ticket goes first; a concession typed on purpose stays.
        for tier_id in [default] + [t for t, z in zone_of.items() if z == seat.zone and t != default]:
            if quantities.get(tier_id, 0) > 0:
                quantities[tier_id] -= 1
                break
        return quantities, picked
    ours = seat.status == "held" and hold_id is not None and seat.hold_id == hold_id
    if seat.status != "free" and not ours:
        raise seat_inventory.refusal(event_id, [sid], hold_id)  # the inventory's own words for a taken seat
    tier_id = _default_tier(tiers, seat.zone)
    quantities[tier_id] = quantities.get(tier_id, 0) + 1
    return quantities, picked + [sid]


def fit(event_id, tiers, quantities, picked):
    """(picked seats, warning): the seller's pick trimmed or completed per zone to the tickets on screen (the seats
    picked last go first; missing ones are the best available). ServiceError when a zone has too few left."""
    zone_of = _zone_of_tier(tiers)
    need = {}
    for tier_id, qty in quantities.items():
        if qty and zone_of.get(tier_id):
            need[zone_of[tier_id]] = need.get(zone_of[tier_id], 0) + qty
    known = {s.sid: s.zone for s in ShowSeat.objects(event_id=event_id, sid__in=list(picked)).only("sid", "zone")}
    kept, count = [], {}
    for sid in picked:
        zone = known.get(sid)
        if zone is not None and count.get(zone, 0) < need.get(zone, 0) and sid not in kept:
            kept.append(sid)
            count[zone] = count.get(zone, 0) + 1
    warnings = []
    for zone, n in sorted(need.items()):
        missing = n - count.get(zone, 0)
        if missing > 0:
            best = seats.best_available(event_id, zone, missing)
            extra = [s["sid"] for s in best["seats"] if s["sid"] not in kept]
            if len(extra) < missing:  # a seat just clicked is still free: ask past it
                best = seats.best_available(event_id, zone, 2 * missing)
                extra = [s["sid"] for s in best["seats"] if s["sid"] not in kept]
            kept += extra[:missing]
            if best["warning"]:
                warnings.append(best["warning"])
    return kept, " ".join(warnings) or None


def best_pick(event_id, tiers, quantities, picked, zone, quantity):
    """(quantities, picked, warning) with `quantity` best available seats of `zone` proposed in place of the
    seats of that zone picked so far; the seller accepts them by selling, or changes them on the map."""
    best = seats.best_available(event_id, zone, quantity)
    zone_of = _zone_of_tier(tiers)
    others = {s.sid for s in ShowSeat.objects(event_id=event_id, sid__in=list(picked), zone__ne=zone).only("sid")}
    quantities = {t: (0 if zone_of.get(t) == zone else q) for t, q in quantities.items()}
    quantities[_default_tier(tiers, zone)] = quantity
    return quantities, [s for s in picked if s in others] + [s["sid"] for s in best["seats"]], best["warning"]


MAX_BEST = 20


def change(event_id, tiers, quantities, picked, hold_id, toggles=(), best=None):
    """(quantities, picked, warning, message) after the seller's actions, in order: each seat of `toggles` activated
    on the map, then `best` = (zone, how many as typed) asked for; a seat that cannot be had is skipped and named
    in `message`, the others still apply."""
    refusals, warning = [], None
    for sid in toggles:
        try:
            quantities, picked = toggle(event_id, tiers, quantities, picked, sid, hold_id)
        except ServiceError as exc:
            refusals.append(exc.message)
    if best is not None:
        zone, text = best
        text = (text or "").strip()
        try:
            if not text.isdigit() or not 1 <= int(text) <= MAX_BEST:
                raise ServiceError(_("Ask for 1 to %(n)d seats.", n=MAX_BEST), "best_quantity")
            quantities, picked, warning = best_pick(event_id, tiers, quantities, picked, zone, int(text))
        except ServiceError as exc:
            refusals.append(exc.message)
    return quantities, picked, warning, " ".join(refusals) or None


def hold_pick(seller, event_id, tiers, quantities, picked, hold_id, take=True):
    """(hold, quantities, picked, message): the seller's hold kept or taken again for the pick (services/pos.py
    hold_for_screen); seats another window took meanwhile leave the pick with their tickets, named in `message`."""
    from .pos import hold_for_screen

    try:
        hold = hold_for_screen(seller, event_id, quantities, hold_id, take, seat_ids=picked, refusals=True)
        return hold, quantities, picked, None
    except seats.SeatTaken as exc:
        gone = [s.sid for s in ShowSeat.objects(event_id=event_id, sid__in=list(picked), status__ne="free").only("sid")]
        for sid in gone:
            quantities, picked = toggle(event_id, tiers, quantities, picked, sid)
        return hold_for_screen(seller, event_id, quantities, None, take, seat_ids=picked), quantities, picked, \
            exc.message


def picked_seats(event_id, picked):
    """[{sid, label, text, zone}] of the seats picked, in the order picked (for the list beside the map); `text` is
    "Plateia · Row A · Seat 1", as on the ticket: a label alone ("A1") may repeat in another section."""
    found = {s.sid: s for s in ShowSeat.objects(event_id=event_id, sid__in=list(picked))
             .only("sid", "label", "section", "row", "number", "zone")}
    return [{"sid": sid, "label": found[sid].label or sid, "text": seat_text(found[sid]), "zone": found[sid].zone}
            for sid in picked if sid in found]


def object_id(value):
    """An id a screen sends back, as an ObjectId (None when absent or malformed)."""
    return ObjectId(value) if ObjectId.is_valid(str(value or "")) else None


def free_seats_for(event_id, tier_id):
    """[{sid, text}] of the free seats a ticket of tier `tier_id` of show `event_id` can take (its zone's), in seat
    order and named as on the ticket ("Plateia · Row A · Seat 1"); None on general admission. NotFound for no such
    tier of that show."""
    event_id, tier_id = object_id(event_id), object_id(tier_id)
    tier = TicketType.objects(pk=tier_id, event=event_id).only("zone").first() if event_id and tier_id else None
    if tier is None:
        raise NotFound(_("Choose the show and ticket type to exchange for."), "target")
    if not tier.zone:
        return None
    found = ShowSeat.objects(event_id=event_id, zone=tier.zone, status="free", flags__ne="not_for_sale") \
        .only("sid", "label", "section", "row", "number")
    return [{"sid": s.sid, "text": seat_text(s)} for s in sorted(found, key=seat_order)]
