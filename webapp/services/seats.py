"""A show's seats as inventory: copied from the venue's map, held / sold / given back one seat document at a time.

Each change is one conditional update on one seat (free → held with the hold's id → sold with the ticket's id →
free again), so two windows can never both get a seat and a seat comes back exactly once. Holds and give-backs
are called from services/inventory.py (the one owner of taking and giving back places); the rules of which
seats a sale may have live here.
"""
from flask_babel import gettext as _

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
            doc.update(status="blocked", blocked_reason=_("not for sale"))
        docs.append(doc)
    if docs:
        _seats().insert_many(docs, session=session)
    for tier in TicketType._get_collection().find({"event": event.pk, "zone": {"$nin": [None, ""]}}, session=session):
        quota = min(event.capacity, zone_count(event.pk, tier["zone"], session))
        TicketType._get_collection().update_one({"_id": tier["_id"]}, {"$set": {"quota": quota}}, session=session)
        resize_counter(session, f"tier:{tier['_id']}", quota, "venue")
    return len(docs)


def zone_count(event_id, zone, session=None):
    """Sellable seats of one zone of the show: the quota of every tier selling that zone."""
    return _seats().count_documents({"event_id": event_id, "zone": zone, "flags": {"$ne": "not_for_sale"}},
                                    session=session)


def zones_of(event_id):
    """The zone codes the show's seats have, sorted."""
    return sorted(z for z in _seats().distinct("zone", {"event_id": event_id}) if z)


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
    seats = list(_seats().find({"event_id": event_id, "zone": zone},
                               {"_id": 0, "sid": 1, "label": 1, "section": 1, "row": 1, "number": 1, "table": 1,
                                "x": 1, "y": 1, "rank": 1, "status": 1, "flags": 1, "zone": 1}))
    if not seats:
        raise NotFound(_("This show has no seats in zone %(zone)s.", zone=zone), "zone")
    picked = best_seats.pick(seats, quantity)
    if picked is None:
        raise Conflict(_("Not enough seats left together or apart in zone %(zone)s.", zone=zone), "quantity")
    chosen, adjacent = picked
    warning = None if adjacent else _("No %(n)d seats together in zone %(zone)s: the seats are split.",
                                      n=quantity, zone=zone)
    return {"seats": chosen, "adjacent": adjacent, "warning": warning}


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


# --- the hooks of services/inventory.py: each seat one conditional update ------------------------------------------

def _why(seat, hold_id=None):
    """Why a seat cannot be taken, as the seller reads it."""
    label = seat.get("label") or seat["sid"]
    if seat["status"] == "sold":
        return _("%(seat)s was just sold by another window", seat=label)
    if seat["status"] == "held" and seat.get("hold_id") != hold_id:
        return _("%(seat)s is held by another window", seat=label)
    if seat["status"] == "blocked":
        return _("%(seat)s is blocked: %(reason)s", seat=label, reason=seat.get("blocked_reason") or "—")
    return None


def refusal(event_id, sids, hold_id=None, seen=None):
    """SeatTaken naming each of `sids` that is not free now and why; `seen`: the seat found taken a moment ago
    (named as it was then, even if it was freed since)."""
    found = {s["sid"]: s for s in _seats().find({"event_id": event_id, "sid": {"$in": list(sids)}})}
    if seen is not None:
        found[seen["sid"]] = seen
    reasons = [r for r in (_why(found[sid], hold_id) for sid in sids if sid in found) if r]
    reasons = reasons or [_("the seats changed meanwhile")]
    return SeatTaken(_("Not held: %(reasons)s.", reasons="; ".join(reasons)), "seats")


def take_held(hold_id, event_id, sids):
    """Hold each seat for the hold (free → held); on a refusal give back what this call took and raise SeatTaken
    naming every seat that is not free. Seats are taken in id order, so two sellers asking for the same seats meet
    on the first one instead of each getting half; a seat freed between our try and our look is tried again."""
    for sid in sorted(sids):
        for _attempt in range(3):
            result = _seats().update_one({"event_id": event_id, "sid": sid, "status": "free"},
                                         {"$set": {"status": "held", "hold_id": hold_id, "changed_at": utcnow()}})
            if result.modified_count:
                break
            seat = _seats().find_one({"event_id": event_id, "sid": sid})
            if seat is None or seat["status"] != "free":
                free_held(hold_id)
                raise refusal(event_id, sids, hold_id, seat)
        else:
            free_held(hold_id)
            raise refusal(event_id, sids, hold_id)


def free_held(hold_id):
    """Seats still held by the hold go back to free (release, expiry, a refused sale): once, whoever calls."""
    _seats().update_many({"hold_id": hold_id, "status": "held"},
                         {"$set": {"status": "free", "changed_at": utcnow()}, "$unset": {"hold_id": ""}})


def held_by(hold, session=None):
    """The seats a hold has, read in `session` (the sale's transaction)."""
    if not hold.get("seats"):
        return []
    return list(_seats().find({"event_id": hold["event_id"], "sid": {"$in": hold["seats"]}}, session=session))


def sell_in(session, hold, tickets):
    """Inside the sale's transaction: the hold's seats become its tickets' (held by it → sold)."""
    from .inventory import HoldGone

    for ticket in tickets:
        if not ticket.seat:
            continue
        result = _seats().update_one(
            {"event_id": hold["event_id"], "sid": ticket.seat.sid, "status": "held", "hold_id": hold["_id"]},
            {"$set": {"status": "sold", "order_id": ticket.order_id, "ticket_id": ticket.pk, "changed_at": utcnow()}},
            session=session)
        if result.modified_count == 0:
            raise HoldGone(_("Your hold on these tickets expired. Choose them again."))


def take_sold_in(session, tickets):
    """Inside a transaction (an exchange): free seats straight to these tickets; SeatTaken aborts it all."""
    for ticket in tickets:
        if not ticket.seat:
            continue
        result = _seats().update_one(
            {"event_id": ticket.event_id, "sid": ticket.seat.sid, "status": "free"},
            {"$set": {"status": "sold", "order_id": ticket.order_id, "ticket_id": ticket.pk, "changed_at": utcnow()},
             "$unset": {"hold_id": ""}}, session=session)
        if result.modified_count == 0:
            raise refusal(ticket.event_id, [ticket.seat.sid])


def give_back_in(session, tickets):
    """Inside a transaction (void, refund, exchange, cancellation, failed payment): each ticket's seat is free
    again — only while it is still that ticket's, so it comes back once."""
    for ticket in tickets:
        seat = ticket.get("seat")
        if seat:
            _seats().update_one(
                {"event_id": ticket["event_id"], "sid": seat["sid"], "status": "sold", "ticket_id": ticket["_id"]},
                {"$set": {"status": "free", "changed_at": utcnow()},
                 "$unset": {"order_id": "", "ticket_id": "", "hold_id": ""}}, session=session)


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
