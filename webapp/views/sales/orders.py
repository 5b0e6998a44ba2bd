"""Orders: lookup, the order page, printable tickets, and failed confirmations for admins."""
from flask import current_app, jsonify, request, url_for
from flask_login import current_user

from ...security import roles_required
from ...services import orders as order_service
from ...services import outbox, seat_lookup
from ...services.ticket_print import printable_tickets
from ..helpers import go, render, wants_json
from . import bp

FORMATS = ("thermal", "a4")


@bp.route("/orders")
@roles_required("seller")
def orders():
    """Find an order by number, ticket code, the customer's name, document or e-mail — or who is in a seat ("F12",
    on the show chosen or the seated shows of these days)."""
    query, show = request.args.get("q", "").strip(), request.args.get("show", "").strip()
    found = order_service.find_orders(query) if query else order_service.recent_orders(current_user)
    return render("sales/orders.html", "sales/_orders_table.html", orders=found, query=query, show=show,
                  in_seat=seat_lookup.tickets_in_seat(query, show or None) if query else [],
                  seated_shows=seat_lookup.seated_shows())


@bp.route("/orders/<number>")
@roles_required("seller")
def order(number):
    """An order: its tickets, payments and confirmation state, with the print button focused."""
    found = order_service.get_order(number)
    return render("sales/order.html", order=found, tickets=order_service.tickets_of(found),
                  just_sold=request.args.get("sold") == "1")


def _format(value):
    return value if value in FORMATS else current_app.config["TICKET_FORMAT"]


@bp.route("/orders/<number>/print")
@roles_required("seller")
def print_tickets(number):
    """One printable ticket per admission (80 mm thermal or A4); changes nothing (the print is recorded by POST)."""
    found = order_service.get_order(number)
    items = printable_tickets(found, order_service.tickets_of(found))
    return render("sales/print.html", order=found, items=items, fmt=_format(request.args.get("format")),
                  formats=FORMATS, recorded=request.args.get("recorded") == "1")


@bp.route("/orders/<number>/printed", methods=["POST"])
@roles_required("seller")
def printed(number):
    """Record that the tickets are being printed (the page's script posts it before opening the print dialog)."""
    found = order_service.record_print(current_user, order_service.get_order(number))
    if wants_json():
        return jsonify(print_count=found.print_count)
    return go(url_for("sales.print_tickets", number=found.number, format=_format(request.form.get("format")),
                      recorded=1))


@bp.route("/orders/failed")
@roles_required("admin")
def failures():
    """Confirmation work that failed for good (e-mails not sent, sales undone), to fix and retry."""
    return render("sales/failures.html", orders=order_service.failed_confirmations(),
                  messages=outbox.failed_messages())


@bp.route("/orders/failed/<message_id>/retry", methods=["POST"])
@roles_required("admin")
def retry(message_id):
    """Send a failed confirmation again."""
    outbox.retry_message(current_user, message_id)
    return go(url_for("sales.failures"))
