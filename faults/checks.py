"""What the database holds against what the clients were told, after the stack has settled."""
from __future__ import annotations

import re
import time

from bson import ObjectId

from webapp.services.confirmation import UNSETTLED_ERROR

# unanswered: a sale whose client, retrying with its key for 3 minutes, never got a 201 or a refusal
MUST_BE_ZERO = ("http_500", "lost", "oversold", "leaked", "duplicates", "dup_emails", "missing_emails", "stuck",
                "unanswered")


def _show_orders(db, show_id):
    return list(db.orders.find({"event_id": ObjectId(show_id)}, {"number": 1, "idempotency_key": 1, "status": 1,
                                                                   "customer": 1, "email_status": 1,
                                                                   "email_error": 1}))


def _unfinished(db, show_id):
    """Orders still pending, outbox messages not done, holds not settled, of this show."""
    orders = _show_orders(db, show_id)
    numbers = [o["number"] for o in orders]
    pending = sum(1 for o in orders if o["status"] == "pending")
    outbox = db.outbox.count_documents({"order_number": {"$in": numbers}, "status": {"$nin": ["done", "failed"]}})
    holds = db.holds.count_documents({"event_id": ObjectId(show_id), "status": {"$in": ["taking", "held", "releasing"]}})
    return pending, outbox, holds


def settle(db, show_id, timeout=240):
    """Wait until every order of the show is confirmed and every message and hold settled; seconds waited."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if _unfinished(db, show_id) == (0, 0, 0):
            break
        time.sleep(0.5)
    return time.monotonic() - began


def figures(db, show_id, seats, clients, smtp, since):
    """The must-be-zero figures (MUST_BE_ZERO) and the others, as a dict."""
    orders = _show_orders(db, show_id)
    by_number = {o["number"]: o for o in orders}
    acked = clients.acked()
    lost = sum(1 for s in acked for n in s.numbers if n not in by_number)
    sent_keys = {s.key for s in clients.sales}
    keys = [o["idempotency_key"] for o in orders]
    duplicates = (len(keys) - len(set(keys)) + sum(len(s.numbers) - 1 for s in acked)
                  + sum(1 for k in keys if k not in sent_keys))  # an order no client asked for
    tickets = db.tickets.count_documents({"event_id": ObjectId(show_id), "status": {"$ne": "void"}})
    counters = list(db.inventory.find({"event_id": ObjectId(show_id), "kind": {"$in": ["event", "tier"]}},
                                      {"sold": 1, "remaining": 1}))
    oversold = max(0, tickets - seats) + sum(max(0, tickets - c.get("sold", 0)) for c in counters) \
        + sum(1 for c in counters if c.get("remaining", 0) < 0)
    leaked = sum(max(0, c.get("sold", 0) - tickets) for c in counters)  # places taken and never sold nor given back
    deliveries = {}
    for subject, _message_id, _at in smtp.messages:
        for number in re.findall(r"\d{6}-[A-Z0-9]+", subject):
            deliveries[number] = deliveries.get(number, 0) + 1
    expected = [o for o in orders if (o.get("customer") or {}).get("email") and o["status"] != "failed"]
    flagged = sum(1 for o in expected if o.get("email_error") == UNSETTLED_ERROR)
    # An e-mail whose worker died inside the SMTP exchange is flagged to staff, never sent twice: if the server had
    # not taken it in full, the customer has none and staff were told so (README: what is guaranteed). Any other
    # order without its e-mail is missing.
    missing = sum(1 for o in expected if not deliveries.get(o["number"]) and o.get("email_error") != UNSETTLED_ERROR)
    flagged_missing = sum(1 for o in expected if not deliveries.get(o["number"])
                          and o.get("email_error") == UNSETTLED_ERROR)
    pending, outbox, holds = _unfinished(db, show_id)
    failed = db.outbox.count_documents({"order_number": {"$in": list(by_number)}, "status": "failed",
                                        "last_error": {"$ne": UNSETTLED_ERROR}})
    errors = clients.statuses_since(since)
    return {"sales": len(acked), "unanswered": sum(1 for s in clients.sales if s.acked_at is None and not s.refused),
            "errors": errors, "http_500": errors.get(500, 0), "lost": lost, "oversold": oversold, "leaked": leaked,
            "duplicates": duplicates, "emails": sum(deliveries.values()),
            "dup_emails": sum(n - 1 for n in deliveries.values() if n > 1), "missing_emails": missing,
            "flagged_emails": flagged, "flagged_missing": flagged_missing, "stuck": pending + outbox + holds + failed}


def line(number, title, extra, figures_, ok):
    """One line of figures for the fault."""
    errors = " ".join(f"{'none' if s == 0 else s}×{n}" for s, n in sorted(figures_["errors"].items())) or "-"
    shown = " ".join(f"{k}={v}" for k, v in extra.items())
    zeros = " ".join(f"{k}={figures_[k]}" for k in MUST_BE_ZERO if k != "http_500")
    return (f"fault {number} {title}: {'PASS' if ok else 'FAIL'} {shown} sales={figures_['sales']} "
            f"errors[{errors}] {zeros} flagged_emails={figures_['flagged_emails']} "
            f"(not received: {figures_['flagged_missing']})")
