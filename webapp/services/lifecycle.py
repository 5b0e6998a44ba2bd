"""A show's lifecycle: draft → on_sale → sales_closed → finished, or cancelled before it finishes; deletion."""
from flask_babel import gettext as _

from .. import db, labels
from ..models import Event, Inventory, Order, TicketType
from ..models.base import utcnow
from . import Conflict, ServiceError
from .audit import record
from .counters import delete_counter
from .inventory import fence_show

# Allowed moves. sales_closed → on_sale re-opens sales (a show closed too early); finished is only reached
# after the show's end, and nothing leaves finished or cancelled.
TRANSITIONS = {
    "draft": ("on_sale", "cancelled"),
    "on_sale": ("sales_closed", "finished", "cancelled"),
    "sales_closed": ("on_sale", "finished", "cancelled"),
    "finished": (),
    "cancelled": (),
}


def allowed_transitions(event):
    """The statuses this show may move to now (for the buttons on its page): finished only once it has ended."""
    ended = event.ends_at <= utcnow()
    return tuple(s for s in TRANSITIONS.get(event.status, ()) if s != "finished" or ended)


def _guard_on_sale(event):
    tiers = list(TicketType.objects(event=event, active=True))
    if not tiers:
        raise ServiceError(_("Add at least one price tier before putting the show on sale."))
    too_big = [t.name for t in tiers if t.quota > event.capacity]
    if too_big:
        raise ServiceError(_("These tiers have a quota above the show's capacity (%(n)d): %(names)s.",
                             n=event.capacity, names=", ".join(too_big)))
    if event.ends_at <= utcnow():
        raise ServiceError(_("This show is over: it cannot go on sale."))


def _guard(event, status):
    if status not in TRANSITIONS.get(event.status, ()):  # a show still to come hears why it cannot finish, below
        raise Conflict(_("A show cannot go from “%(old)s” to “%(new)s”.", old=status_label(event.status),
                         new=status_label(status)))
    if status == "on_sale":
        _guard_on_sale(event)
    if status == "finished" and event.ends_at > utcnow():
        raise ServiceError(_("A show is finished only after it ends."))


def set_status(actor, event, status):
    """Move the show to `status` if the lifecycle and its guards allow it; audited."""
    _guard(event, status)
    db.run_in_transaction(_set_status_in, actor, event, event.status, status)
    event.status = status
    return event


def _set_status_in(session, actor, event, old, status):
    # Conditional on the status we checked: two admins clicking at once cannot both move it.
    result = Event._get_collection().update_one(
        {"_id": event.pk, "status": old}, {"$set": {"status": status, "updated_at": utcnow()}}, session=session)
    if result.matched_count == 0:
        raise Conflict(_("The show changed meanwhile. Reload the page and try again."))
    # Writes, not just reads: a hold in progress or a sale converting one that read the old status conflicts.
    fence_show(session, event.pk, status)
    record("event.status", actor, session=session, target=event, event_id=event.pk, before={"status": old},
           after={"status": status})
    if status == "cancelled":  # the refund of its orders is queued in this same transaction (never lost)
        from .cancellation import queue_refunds

        queue_refunds(session, event.pk)


def delete_event(actor, event):
    """Delete a draft show that never sold anything (with its tiers and counters); otherwise cancel it."""
    if event.status != "draft":
        raise Conflict(_("Only draft shows can be deleted. Cancel the show instead."))
    tier_ids = [t.pk for t in TicketType.objects(event=event)]
    db.run_in_transaction(_delete_in, actor, event, tier_ids)


def _delete_in(session, actor, event, tier_ids):
    if Order._get_collection().count_documents({"event_id": event.pk}, limit=1, session=session):
        raise Conflict(_("Tickets were already sold: this cannot be deleted. Cancel the show instead."))
    delete_counter(session, Inventory.event_key(event.pk))
    delete_counter(session, Inventory.concession_key(event.pk))
    for tier_id in tier_ids:
        delete_counter(session, Inventory.tier_key(tier_id))
    TicketType._get_collection().delete_many({"event": event.pk}, session=session)
    result = Event._get_collection().delete_one({"_id": event.pk, "status": "draft"}, session=session)
    if result.deleted_count == 0:
        raise Conflict(_("The show changed meanwhile. Reload the page and try again."))
    record("event.delete", actor, session=session, target=event, event_id=event.pk,
           before={"title": event.title, "starts_at": event.starts_at})


def close_past_shows(now=None):
    """Mark as finished every show on sale or closed whose end has passed; returns how many (idempotent)."""
    now = now or utcnow()
    closed = 0
    for event in Event.objects(status__in=("on_sale", "sales_closed"), ends_at__lte=now):
        try:
            set_status(None, event, "finished")
        except ServiceError:
            continue  # changed meanwhile (another worker closed it): nothing to do
        closed += 1
    return closed


def status_label(status):
    """The translated name of a status."""
    return labels.label("event_status", status)
