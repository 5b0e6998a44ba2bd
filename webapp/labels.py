"""The one place that names every enumerated value for people: statuses, kinds, roles, audit actions and fields.

The database stores codes ("partially_refunded", "event.status", "price_cents"); pages, reports and exports show
these labels in the reader's language. Payment methods are named by their own registry (payment_methods.py);
this module only hands its labels on. A value with no label here is shown raw — a test renders every page in
every state and fails on any raw code, and another checks that each model's `choices` are all named here.
"""
from flask_babel import lazy_gettext as _l

from . import payment_methods

ORDER_STATUS = {"pending": _l("Sold, confirming"), "confirmed": _l("Confirmed"), "voided": _l("Voided"),
                "refunded": _l("Refunded"), "partially_refunded": _l("Partly refunded"), "exchanged": _l("Exchanged"),
                "failed": _l("Undone (payment failed)")}
# The badge colour of an order status (CSS classes of app.css).
ORDER_STATUS_CLASS = {"confirmed": "ok", "pending": "ok", "failed": "danger", "voided": "muted", "exchanged": "muted"}
TICKET_STATUS = {"valid": _l("valid"), "used": _l("used"), "void": _l("void")}
# A void ticket named by what voided it (Order.refund_of: the kind of its entry).
TICKET_VOIDED_BY = {"void": _l("voided"), "refund": _l("refunded"), "exchange": _l("exchanged"),
                    "cancellation": _l("show cancelled")}
EVENT_STATUS = {"draft": _l("Draft"), "on_sale": _l("On sale"), "sales_closed": _l("Sales closed"),
                "finished": _l("Finished"), "cancelled": _l("Cancelled")}
EMAIL_STATUS = {"none": _l("not requested"), "pending": _l("to be sent"), "sending": _l("being sent"), "sent": _l("sent"),
                "failed": _l("failed"), "dropped": _l("not sent: no valid ticket left")}
PAYMENT_STATUS = {"captured": _l("received"), "failed": _l("failed")}
REFUND_STATUS = {"pending": _l("pending"), "settled": _l("settled")}
REFUND_KIND = {"void": _l("Voided at the counter"), "refund": _l("Refund"), "exchange": _l("Exchange of tickets"),
               "cancellation": _l("Show cancelled")}
SHIFT_STATUS = {"open": _l("Open"), "closed": _l("Closed")}
OUTBOX_STATUS = {"pending": _l("waiting"), "dispatching": _l("being queued"), "dispatched": _l("queued"),
                 "done": _l("done"), "failed": _l("failed")}
SEAT_BLOCK = {"house": _l("house seats"), "technical": _l("technical (camera, sound desk, broken seat)"),
              "other": _l("other"), "not_for_sale": _l("not for sale")}
SEAT_STATUS = {"free": _l("free"), "held": _l("held"), "sold": _l("sold"), "blocked": _l("held back")}
HOLD_STATUS = {"taking": _l("being held"), "held": _l("held"), "sold": _l("sold"), "releasing": _l("being released")}
VENUE_KIND = {"general": _l("General admission"), "reserved": _l("Reserved seating")}
ROLE = {"admin": _l("Administrator"), "manager": _l("Manager"), "seller": _l("Box office"), "door": _l("Door")}
# A language is named in itself, the same on every page (the language picker's convention).
LANGUAGE = {"pt_BR": "Português (Brasil)", "en": "English"}
RELEASE_NOTE = {"used_tickets": _l("some tickets had already been used"),
                "shift_closed": _l("its cash shift was already closed"),
                "credit_held": _l("an exchange's credit is still owed")}
INVENTORY_KIND = {"event": _l("Show capacity"), "tier": _l("Ticket type quota"),
                  "concession": _l("Concession quota")}

# Reasons the system writes itself (a person's reason is shown as typed). Older entries hold the text of the day.
SYSTEM_REASON = {"payment not confirmed": _l("Payment not confirmed"), "Show cancelled": _l("Show cancelled"),
                 "Espetáculo cancelado": _l("Show cancelled")}

# Errors the system writes on failed background work, by how they start; anything else (a mail server's own
# error) is technical and shown as it came, to admins only.
SYSTEM_ERROR = {"payment not confirmed": _l("Payment not confirmed: the sale was undone (see the order)."),
                "e-mail attempt unsettled": _l("Interrupted while being handed to the mail server: it may have "
                                               "arrived. Ask the customer before sending it again.")}

AUDIT_ACTION = {
    "sale": _l("Sale"), "void": _l("Void at the counter"), "refund": _l("Refund"),
    "cancellation": _l("Refund of a cancelled show"), "exchange": _l("Exchange of tickets"),
    "refund.override": _l("Refund of used tickets (override)"), "refund.settle": _l("Refund paid out"),
    "order.reprint": _l("Tickets printed again"), "order.release": _l("Sale undone (payment not confirmed)"),
    "ticket.admission_undo": _l("Admission undone"),
    "shift.open": _l("Cash shift opened"), "shift.close": _l("Cash shift closed"),
    "event.create": _l("Show created"), "event.update": _l("Show changed"), "event.duplicate": _l("Show duplicated"),
    "event.status": _l("Show status changed"), "event.delete": _l("Show deleted"),
    "tier.create": _l("Ticket type created"), "tier.update": _l("Ticket type changed"),
    "tier.delete": _l("Ticket type deleted"),
    "seats.block": _l("Seats held back"), "seats.unblock": _l("Seats released for sale"),
    "venue.create": _l("Venue created"), "venue.update": _l("Venue changed"),
    "seatmap.save": _l("Seat map changed"), "seatmap.import": _l("Seat map imported"),
    "user.create": _l("Account created"), "user.update": _l("Account changed"),
    "user.activate": _l("Account reactivated"), "user.deactivate": _l("Account deactivated"),
    "user.unlock": _l("Account unlocked"), "user.sessions_end": _l("Sessions ended"),
    "device.create": _l("Device created"), "device.revoke": _l("Device revoked"),
    "cancellation.mail_retry": _l("Cancellation e-mails sent again"), "user.password": _l("Password set by an administrator"),
    "user.locked": _l("Account locked (too many failed logins)"),
    "outbox.retry": _l("Confirmation sent again"),
}
TARGET_TYPE = {"Order": _l("Order"), "Ticket": _l("Ticket"), "Event": _l("Show"), "TicketType": _l("Ticket type"),
               "Venue": _l("Venue"), "User": _l("Account"), "Shift": _l("Cash shift"),
               "OutboxMessage": _l("Background task")}
AUDIT_FIELD = {
    "status": _l("Status"),
    "total_cents": _l("Total"), "tickets": _l("Tickets"), "payments": _l("Payments"),
    "amount_cents": _l("Amount"), "refunded_cents": _l("Refunded so far"), "methods": _l("By payment method"),
    "references": _l("Reversal references"),
    "method": _l("Payment method"), "reference": _l("Reference"), "used_tickets": _l("Used tickets"),
    "order": _l("New order"), "event_id": _l("Show"), "tier": _l("Ticket type"), "credit_cents": _l("Credit"),
    "difference_cents": _l("Difference"), "print_count": _l("Prints"), "tickets_voided": _l("Tickets voided"),
    "notes": _l("Left as it was"), "used_at": _l("Used at"), "gate": _l("Gate"), "used_by": _l("Admitted by"),
    "opening_float_cents": _l("Opening float"), "expected_cash_cents": _l("Expected cash"),
    "counted_cash_cents": _l("Counted cash"), "title": _l("Title"), "venue": _l("Venue"),
    "starts_at": _l("Starts"), "ends_at": _l("Ends"), "doors_at": _l("Doors open"), "capacity": _l("Capacity"),
    "max_per_order": _l("Max tickets per order"), "concession_cap_pct": _l("Concession cap (percent of capacity)"),
    "sales_start": _l("Sales start"), "sales_end": _l("Sales end"), "source": _l("Copied from"),
    "name": _l("Name"), "price_cents": _l("Price"), "quota": _l("Quota"), "is_concession": _l("Concession"),
    "kind": _l("Kind"), "timezone": _l("Time zone"), "username": _l("Username"), "roles": _l("Roles"),
    "active": _l("Active"), "locked": _l("Locked"), "lockouts": _l("Lockouts in a row"),
    "seconds": _l("Wait in seconds"), "emails": _l("E-mails"),
    "comp_allowance": _l("Complimentary tickets per shift"),
    "failed_logins": _l("Failed logins"), "locale": _l("Language"), "version": _l("Version"),
    "seats": _l("Seats"), "zone": _l("Zone"), "held_back_as": _l("Why"),
}

SESSION_KIND = {"web": _l("Browser"), "api": _l("API token"), "device": _l("Device")}
USER_KIND = {"person": _l("Person"), "device": _l("Device")}

ENUMS = {"order_status": ORDER_STATUS, "ticket_status": TICKET_STATUS, "event_status": EVENT_STATUS,
         "email_status": EMAIL_STATUS, "payment_status": PAYMENT_STATUS, "refund_status": REFUND_STATUS,
         "refund_kind": REFUND_KIND, "shift_status": SHIFT_STATUS, "outbox_status": OUTBOX_STATUS, "hold_status": HOLD_STATUS,
         "seat_status": SEAT_STATUS, "seat_block": SEAT_BLOCK,
         "venue_kind": VENUE_KIND, "role": ROLE, "language": LANGUAGE, "release_note": RELEASE_NOTE,
         "inventory_kind": INVENTORY_KIND, "audit_action": AUDIT_ACTION, "target_type": TARGET_TYPE,
         "audit_field": AUDIT_FIELD, "session_kind": SESSION_KIND, "user_kind": USER_KIND}

# Which enumeration names the values of each model field with `choices` ("payment_method": the registry).
FIELD_ENUMS = {("Order", "status"): "order_status", ("Order", "email_status"): "email_status",
               ("Order", "release_notes"): "release_note", ("Ticket", "status"): "ticket_status",
               ("Event", "status"): "event_status", ("Payment", "method"): "payment_method",
               ("Payment", "status"): "payment_status", ("Refund", "method"): "payment_method",
               ("Refund", "status"): "refund_status", ("Refund", "kind"): "refund_kind",
               ("Shift", "status"): "shift_status", ("OutboxMessage", "status"): "outbox_status", ("Hold", "status"): "hold_status",
               ("Venue", "kind"): "venue_kind", ("User", "roles"): "role", ("User", "locale"): "language",
               ("Inventory", "kind"): "inventory_kind", ("AuthSession", "kind"): "session_kind",
               ("User", "kind"): "user_kind", ("ShowSeat", "status"): "seat_status",
               ("ShowSeat", "blocked_kind"): "seat_block"}


def enum(name):
    """{code: label} of one enumeration ("payment_method" comes from the payment-method registry)."""
    return payment_methods.labels() if name == "payment_method" else ENUMS[name]


def label(name, code):
    """The label of `code` in enumeration `name`, in the reader's language (the code itself when unnamed)."""
    if code is None:
        return ""
    found = enum(name).get(code)
    return str(found) if found is not None else str(code)


def reason(text):
    """A stored reason as people read it: the system's own reasons translated, a person's as typed."""
    if not text:
        return ""
    found = SYSTEM_REASON.get(text)
    return str(found) if found is not None else text


def error(text):
    """A failed job's error as people read it: the system's own errors translated, others as they came."""
    for start, message in SYSTEM_ERROR.items():
        if (text or "").startswith(start):
            return str(message)
    return text or ""


def template_globals():
    """What every template gets: the label tables the pages read, and `label()` for the rest."""
    return {"method_labels": payment_methods.labels(), "money_methods": payment_methods.MONEY_CODES,
            "status_labels": ORDER_STATUS,
            "status_classes": ORDER_STATUS_CLASS, "email_labels": EMAIL_STATUS, "ticket_labels": TICKET_STATUS,
            "voided_labels": TICKET_VOIDED_BY,
            "role_labels": ROLE, "label": label}
