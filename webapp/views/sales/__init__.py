"""The box office: cash shifts, the point of sale, orders and their printable tickets (blueprint "sales")."""
from flask import Blueprint
from markupsafe import Markup

from ...services.ticket_print import qr_svg

bp = Blueprint("sales", __name__)


@bp.app_template_filter("qr_svg")
def _qr_svg(code):
    return Markup(qr_svg(code))  # segno's SVG: numbers and paths only, nothing from the user


from . import orders, pos, shifts  # noqa: E402,F401  (routes register themselves on bp)
