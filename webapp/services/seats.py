"""A show's seats as inventory: copied from the venue's map, and the rules of which seats a sale takes (chosen by
hand, or best available). Taking and giving them back is services/inventory.py's, through seat_inventory.py (one
conditional update per seat, so two windows never both get a seat and it comes back exactly once).
"""
from flask_babel import gettext as _

from .. import labels
from ..models import SeatMap, ShowSeat, TicketSeat, TicketType
from ..models.base import utcnow
from . import Conflict, NotFound, ServiceError, best_seats
from .counters import resize_counter

FIELDS = ("sid", "section", "row", "number", "table", "label", "zone", "x", "y", "rank", "flags")
MAX_SEATS = 100  # per hold: more than any order may carry


class SeatTaken(Conflict):
    """A seat asked for is not free any more; the message names each seat and why. Nothing was taken."""


def _seats():
    return ShowSeat._get_collection()


def is_seated(event_id, session=None):
    """Whether the show sells numbered seats (it has seats of its own)."""
    return _seats().find_one({"event_id": event_id}, {"_id": 1}, session=session) is not None


def sellable(seat):
    return "not_for_sale" not in (seat.get("flags") or ())


# --- the show's copy of the map ----------------------------------------------------------------------------------

def copy_to_show(event, session=None):
    """Give a show on a reserved venue its own seats (again after a venue change, while none is held or sold);
    its zoned tiers' quotas follow their zone's sellable seats. Returns how many seats the show has."""
    if _seats().find_one({"event_id": event.pk, "status": {"$in": ["held", "sold"]}}, {"_id": 1}, session=session):
        raise Conflict(_("Seats of this show are already held or sold: its seat map cannot change."), "venue")
    _seats().delete_many({"event_id": event.pk}, session=session)
    seat_map = SeatMap.objects(venue=event.venue).first() if getattr(event.venue, "kind", None) == "reserved" else None
    if seat_map is None:  # general admission: its tiers sell no zone
        TicketType._get_collection().update_many({"event": event.pk}, {"$unset": {"zone": ""}}, session=session)
        return 0
    now, docs = utcnow(), []
    for seat in seat_map.seats:
        doc = {name: getattr(seat, name) for name in FIELDS}
        doc.update(event_id=event.pk, status="free", changed_at=now, flags=list(seat.flags or []))
        if not sellable(doc):  # drawn on the map, never sold
            doc.update(status="blocked", blocked_kind="not_for_sale")
        docs.append(doc)
    if docs:
        _seats().insert_many(docs, session=session)
    for tier in TicketType._get_collection().find({"event": event.pk, "zone": {"$nin": [None, ""]}}, session=session):
        quota = min(event.capacity, zone_count(event.pk, tier["zone"], session))
        TicketType._get_collection().update_one({"_id": tier["_id"]}, {"$set": {"quota": quota}}, session=session)
        resize_counter(session, f"tier:{tier['_id']}", quota, "venue")
    return len(docs)


def block_text(seat):
    """Why a blocked seat is blocked, in the reader's language: the kind, then the manager's note."""
    kind = labels.label("seat_block", seat.get("blocked_kind")) if seat.get("blocked_kind") else ""
    return " — ".join(str(part) for part in (kind, seat.get("blocked_reason")) if part) or "—"


def zone_count(event_id, zone, session=None):
    """Sellable seats of one zone of the show: the quota of every tier selling that zone."""
    return _seats().count_documents({"event_id": event_id, "zone": zone, "flags": {"$ne": "not_for_sale"}},
                                    session=session)


def zones_of(event_id):
    """The zone codes the show's seats have, sorted."""
    return sorted(z for z in _seats().distinct("zone", {"event_id": event_id}) if z)


def status_counts(event_id):
    """{status: seats} of the show (every status present, 0 when none)."""
    counts = dict.fromkeys(("free", "held", "sold", "blocked"), 0)
    for row in _seats().aggregate([{"$match": {"event_id": event_id}}, {"$group": {"_id": "$status", "n": {"$sum": 1}}}]):
        counts[row["_id"]] = row["n"]
    return counts


def seat_view(event_id, since=None, hold_ids=()):
    """The show's seats as dicts for drawing (services/seat_svg.py) and the API; only those changed after `since`
    when given (a live map's refresh). `mine` marks seats held by one of `hold_ids` (the viewer's holds)."""
    query = {"event_id": event_id}
    if since is not None:
        query["changed_at"] = {"$gt": since}
    mine = set(hold_ids)
    view = []
    for raw in _seats().find(query, {"_id": 0, "event_id": 0}).sort("rank", 1):
        raw["mine"] = raw.get("hold_id") in mine if raw.get("status") == "held" else False
        view.append(raw)
    return view


# --- which seats a sale takes --------------------------------------------------------------------------------------

def _load(event_id, sids, session=None):
    """{sid: seat} of the show for these ids; NotFound naming the ids the show does not have."""
    found = {s["sid"]: s for s in _seats().find({"event_id": event_id, "sid": {"$in": list(sids)}}, session=session)}
    unknown = [sid for sid in sids if sid not in found]
    if unknown:
        raise NotFound(_("This show has no seat %(seats)s.", seats=", ".join(unknown[:10])), "seats")
    return found


def clean_ids(seat_ids):
    """Seat ids as given (a list of short strings), de-duplicated in order; ServiceError for anything else."""
    if not isinstance(seat_ids, (list, tuple)) or not seat_ids or len(seat_ids) > MAX_SEATS:
        raise ServiceError(_("Choose from 1 to %(n)d seats.", n=MAX_SEATS), "seats")
    if not all(isinstance(s, str) and 0 < len(s.strip()) <= 32 for s in seat_ids):
        raise ServiceError(_("A seat id is a short text such as PLA-F-12."), "seats")
    return list(dict.fromkeys(s.strip() for s in seat_ids))


def _zones_needed(tiers, lines):
    """{zone: places} the sale's lines need; ServiceError when a tier sells no zone on a seated show."""
    zone_of = {t["_id"]: t.get("zone") for t in tiers}
    need = {}
    for line in lines:
        zone = zone_of.get(line["ticket_type_id"])
        if not zone:
            raise ServiceError(_("%(tier)s sells no zone of this show's seat map.", tier=line["name"]), "quantities")
        need[zone] = need.get(zone, 0) + line["quantity"]
    return need


def check_fit(event_id, tiers, lines, sids):
    """The seats `sids` fit the sale's tiers: each zone gets as many seats as its tiers' tickets."""
    found = _load(event_id, sids)
    need = _zones_needed(tiers, lines)
    have = {}
    for seat in found.values():
        have[seat["zone"]] = have.get(seat["zone"], 0) + 1
    if have != need:
        wanted = ", ".join(f"{n} × {zone}" for zone, n in sorted(need.items()))
        raise ServiceError(_("Choose one seat per ticket in its zone (%(wanted)s).", wanted=wanted), "seats")
    return sids


def best_available(event_id, zone, quantity):
    """{seats, adjacent, warning}: `quantity` seats of `zone`, adjacent in one row and best first when possible,
    never leaving a lone seat where avoidable; else split, with a warning. Conflict when too few are left."""
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_SEATS:
        raise ServiceError(_("Choose from 1 to %(n)d seats.", n=MAX_SEATS), "quantity")
    picked = _pick_fast(event_id, zone, quantity) or best_seats.pick(_free(event_id, zone), quantity)
    if picked is None:
        if not _seats().find_one({"event_id": event_id, "zone": zone}, {"_id": 1}):
            raise NotFound(_("This show has no seats in zone %(zone)s.", zone=zone), "zone")
        raise Conflict(_("Not enough seats left together or apart in zone %(zone)s.", zone=zone), "quantity")
    chosen, adjacent = picked.seats, picked.adjacent
    warning = None if adjacent else _("No %(n)d seats together in zone %(zone)s: the seats are split.",
                                      n=quantity, zone=zone)
    return {"seats": chosen, "adjacent": adjacent, "warning": warning}


def _free(event_id, zone, rows=None):
    """The free seats of a zone a pick may use (only those: side by side means one seat width apart in one row, so
    seats taken between two free ones need not be read), optionally only in some (sections, rows)."""
    query = {"event_id": event_id, "zone": zone, "status": "free", "flags": {"$nin": list(best_seats.NOT_AUTO)}}
    if rows:
        query.update(section={"$in": list({s for s, _r in rows})}, row={"$in": list({r for _s, r in rows})})
    return list(_seats().find(query, {"_id": 0, "sid": 1, "label": 1, "section": 1, "row": 1, "table": 1, "x": 1,
                                      "y": 1, "rank": 1}))


def _pick_fast(event_id, zone, quantity):
    """The same pick read from the rows of the best-ranked free seats only, when it provably is the best: together,
    no lone seat left, and ranked no worse than any window of seats not read. None: read the whole zone."""
    limit = max(64, 16 * quantity)
    top = list(_seats().find({"event_id": event_id, "zone": zone, "status": "free",
                              "flags": {"$nin": list(best_seats.NOT_AUTO)}}, {"_id": 0, "section": 1, "row": 1,
                                                                              "rank": 1}).sort("rank", 1).limit(limit))
    if len(top) < limit:
        return None  # a nearly full zone is small to read whole
    picked = best_seats.pick(_free(event_id, zone, {(s.get("section"), s.get("row")) for s in top}), quantity)
    if picked and picked.adjacent and picked.orphans == 0 and picked.rank <= quantity * top[-1]["rank"]:
        return picked
    return None


def choose(event_id, tiers, lines, seat_ids):
    """The seats a hold of `lines` takes: `seat_ids` checked against the tiers' zones, best available per zone when
    none were given on a seated show, None for general admission."""
    if seat_ids is not None:
        if not is_seated(event_id):
            raise ServiceError(_("This show has no numbered seats."), "seats")
        return check_fit(event_id, tiers, lines, clean_ids(seat_ids))
    # A seated show's tiers all sell a zone (services/tiers.py): a sale by count costs no look at the seats.
    if not any(t.get("zone") for t in tiers):
        return None
    return [seat["sid"] for zone, n in sorted(_zones_needed(tiers, lines).items())
            for seat in best_available(event_id, zone, n)["seats"]]


def quantities_for(event_id, sids):
    """{tier id: places} for seats given without tiers (the API): each zone's first full-price tier on sale."""
    found = _load(event_id, clean_ids(sids))
    tiers = TicketType.objects(event=event_id, active=True, is_concession=False).order_by("sort").as_pymongo()
    tier_of = {}
    for tier in tiers:
        tier_of.setdefault(tier.get("zone"), tier["_id"])
    quantities = {}
    for seat in found.values():
        if seat["zone"] not in tier_of:
            raise ServiceError(_("No ticket type sells zone %(zone)s.", zone=seat["zone"]), "seats")
        quantities[tier_of[seat["zone"]]] = quantities.get(tier_of[seat["zone"]], 0) + 1
    return quantities


def assign(tiers, lines, seats):
    """The seat of each ticket a sale issues (in issue order: lines, then tickets), from the seats it holds."""
    if not seats:
        return None
    zone_of = {t["_id"]: t.get("zone") for t in tiers}
    pool = sorted(seats, key=lambda s: (s.get("rank", 0), s["sid"]))
    order = []
    for line in lines:
        for _i in range(line["quantity"]):
            seat = next((s for s in pool if s["zone"] == zone_of.get(line["ticket_type_id"])), None)
            if seat is None:
                raise ServiceError(_("The seats held are not the tickets chosen. Choose them again."), "seats")
            pool.remove(seat)
            order.append(seat)
    return order


def ticket_seat(seat):
    """The TicketSeat fields of a show seat (what the ticket keeps)."""
    return TicketSeat(sid=seat["sid"], label=seat.get("label"), section=seat.get("section"), row=seat.get("row"),
                      number=seat.get("number"))


def held_by(hold, session=None):
    """The seats a hold has, read in `session` (the sale's transaction)."""
    if not hold.get("seats"):
        return []
    return list(_seats().find({"event_id": hold["event_id"], "sid": {"$in": hold["seats"]}}, session=session))


def hold_with(take, event_id, tiers, lines, seat_ids):
    """take(sids) with the seats a hold of `lines` needs (see `choose`); best available is picked again when
    another window took a pick first (twice at most), seats chosen by hand are refused at once."""
    for attempt in range(3):
        sids = choose(event_id, tiers, lines, seat_ids)
        try:
            return take(sids)
        except SeatTaken:
            if seat_ids is not None or attempt == 2:
                raise


def for_new_tickets(session, event_id, tiers, lines, seat_ids=None):
    """The seats, one per ticket in issue order, that an exchange's new tickets take (`seat_ids`, else the best
    available); None on a show without seats. Taken for good by inventory.take_seats_in in the same transaction."""
    sids = choose(event_id, tiers, lines, seat_ids)
    if not sids:
        return None
    return assign(tiers, lines, list(_seats().find({"event_id": event_id, "sid": {"$in": sids}}, session=session)))
