"""The box office: cash shifts, the point of sale, orders and their printable tickets (blueprint "sales")."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ... import payment_methods
from ...services import ledger
from ...services.ticket_codes import grouped
from ...services.ticket_print import qr_svg

bp = Blueprint("sales", __name__)


@bp.app_template_filter("qr_svg")
def _qr_svg(code):
    return Markup(qr_svg(code))  # segno's SVG: numbers and paths only, nothing from the user


@bp.app_template_filter("method_label")
def _method_label(code):
    return payment_methods.label(code)


@bp.app_template_filter("ticket_code")
def _ticket_code(code):
    return grouped(code)  # printed in groups of four, to read out and type by hand


@bp.app_context_processor  # app-wide: the refunds fragment and reports show the same statuses
def _labels():
    return {
        "method_labels": payment_methods.labels(),
        "payment_methods": payment_methods.METHODS,
        "change_given": ledger.change_given,
        "status_labels": {"pending": _l("Sold, confirming"), "confirmed": _l("Confirmed"), "voided": _l("Voided"),
                          "refunded": _l("Refunded"), "partially_refunded": _l("Partly refunded"),
                          "failed": _l("Undone (payment failed)")},
        "status_classes": {"confirmed": "ok", "pending": "ok", "failed": "danger", "voided": "muted"},
        "email_labels": {"none": _l("not requested"), "pending": _l("to be sent"), "sent": _l("sent"),
                         "failed": _l("failed")},
        "ticket_labels": {"valid": _l("valid"), "used": _l("used"), "void": _l("void")},
    }


from . import orders, pos, shifts  # noqa: E402,F401  (routes register themselves on bp)
