"""The box office: cash shifts, the point of sale, orders and their printable tickets (blueprint "sales")."""
from flask import Blueprint
from markupsafe import Markup

from ... import payment_methods
from ...services import ledger
from ...services.ticket_codes import grouped
from ...services.ticket_print import qr_svg, seat_text

bp = Blueprint("sales", __name__)


@bp.app_template_filter("qr_svg")
def _qr_svg(code):
    return Markup(qr_svg(code))  # segno's SVG: numbers and paths only, nothing from the user


@bp.app_template_filter("method_label")
def _method_label(code):
    return payment_methods.label(code)


@bp.app_template_filter("seat_text")
def _seat_text(seat):
    return seat_text(seat)  # "Plateia · Row F · Seat 12"; empty for general admission


@bp.app_template_filter("ticket_code")
def _ticket_code(code):
    return grouped(code)  # printed in groups of four, to read out and type by hand


@bp.app_context_processor
def _money_helpers():
    return {"payment_methods": payment_methods.METHODS, "change_given": ledger.change_given}


from . import orders, pos, seats, shifts  # noqa: E402,F401  (routes register themselves on bp)
