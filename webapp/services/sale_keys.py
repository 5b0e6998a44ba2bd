"""A sale's idempotency key: the same request again gets its first order, a different one is refused (422)."""
import hashlib
import json

from flask_babel import gettext as _

from ..models import Hold, Order
from . import Conflict, ServiceError


class KeyReused(ServiceError):
    """The idempotency key already sold an order for a different request: nothing was sold (422)."""

    status = 422

    def __init__(self, order):
        super().__init__(_("This idempotency key already sold order %(number)s, with different tickets, payment or "
                           "customer: nothing was sold now. Use a new key for a new sale.", number=order.number))
        self.order = order


def request_fingerprint(sale):
    """The sale as asked, canonical (cleaned values, sorted keys, empty parts dropped) and hashed: the same request
    sent again hashes the same whichever way its JSON or form was laid out."""
    canonical = {
        "event_id": str(sale["event_id"]),
        "quantities": {str(k): v for k, v in sale["quantities"].items()},
        "documents": {str(k): v for k, v in sale["documents"].items() if v},
        "customer": sale["customer"],
        "payments": [{k: v for k, v in p.items() if v not in (None, "")} if isinstance(p, dict) else p
                     for p in sale["payments"] or []],
    }
    if sale.get("seat_ids"):  # only when given: the hashes of sales by count stay what they were
        canonical["seats"] = sorted(str(s) for s in sale["seat_ids"])
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def same_request(order, seller, fingerprint):
    """`order`, the answer to its key sent again — when it is the same seller's same request."""
    if order.seller_id != seller.pk:
        raise Conflict(_("This request was already used for another sale. Reload the page."))
    if order.request_hash and order.request_hash != fingerprint:
        raise KeyReused(order)
    return order


def existing_order(key, seller, fingerprint):
    """The order this key already sold (checked by same_request), or None."""
    order = Order.objects(idempotency_key=key).first()
    return None if order is None else same_request(order, seller, fingerprint)


class HoldKeyReused(ServiceError):
    """The idempotency key already took a hold of other places: nothing was held now (422)."""

    status = 422


def held_again(seller, key, event_id, quantities, seat_ids=None):
    """The hold this seller's key already took, when it holds what is asked again (a retry); else HoldKeyReused.

    quantities {ticket_type_id: qty} (empty: any, as a hold of seats asks for none); seat_ids None: any."""
    hold = Hold.objects(idempotency_key=key, seller_id=seller.pk).first()
    same = hold is not None and str(hold.event_id) == str(event_id) and \
        (not quantities or {str(line["ticket_type_id"]): line["quantity"] for line in hold.lines} ==
         {str(k): v for k, v in quantities.items() if v}) and \
        (seat_ids is None or sorted(hold.seats or []) == sorted(seat_ids))
    if not same:
        raise HoldKeyReused(_("This Idempotency-Key was already used for another request: send a new key."))
    return hold
