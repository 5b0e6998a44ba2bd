"""The shift reconciliation report: each cash shift's expected against counted cash, per payment method."""
from flask_babel import gettext as _

from ..models import Shift
from ..payment_methods import DRAWER_CODES, MONEY_CODES
from ..payment_methods import label as method_label
from ..timezones import utc_from_date
from .aggregates import app_zone
from .ledger import drawer_expected
from .reports import Report

_OUTSIDE_DRAWER = tuple(m for m in MONEY_CODES if m not in DRAWER_CODES)  # card, Pix: a column each
_SHIFT_FIELDS = ("seller_name", "opened_at", "closed_at", "status", "opening_float_cents", "totals_by_method",
                 "cash_in_cents", "change_out_cents", "cash_refunds_cents", "counted_cash_cents",
                 "expected_cash_cents", "difference_cents")


def _shift_row(raw):
    methods = raw.get("totals_by_method") or {}
    cash_sales = raw.get("cash_in_cents", 0) - raw.get("change_out_cents", 0)
    closed = raw.get("status") == "closed"
    expected = raw.get("expected_cash_cents") if closed else drawer_expected(raw)
    return {"shift_id": str(raw["_id"]), "seller": raw.get("seller_name") or "", "opened_at": raw.get("opened_at"),
            "closed_at": raw.get("closed_at"),
            "status": _("Closed") if closed else _("Open"), "opening_cents": raw.get("opening_float_cents", 0),
            "cash_sales_cents": cash_sales, "cash_refunds_cents": raw.get("cash_refunds_cents", 0),
            **{f"{m}_cents": methods.get(m, 0) for m in _OUTSIDE_DRAWER}, "expected_cents": expected,
            "counted_cents": raw.get("counted_cash_cents") if closed else None,
            "difference_cents": raw.get("difference_cents") if closed else None}


def shift_report(filters):
    """Each cash shift opened in the date range: expected against counted cash, differences marked."""
    tz = app_zone()
    query = {"opened_at": {"$gte": utc_from_date(filters["start"], tz), "$lt": utc_from_date(filters["end"], tz, True)}}
    if filters["seller"]:
        query["seller_id"] = filters["seller"]
    raws = Shift._get_collection().find(query, {f: 1 for f in _SHIFT_FIELDS}).sort("opened_at", -1)
    rows = [_shift_row(raw) for raw in raws]
    if filters.get("only_differences"):
        rows = [r for r in rows if r["difference_cents"]]
    columns = [("seller", _("Seller"), "text"), ("opened_at", _("Opened at"), "datetime"),
               ("closed_at", _("Closed at"), "datetime"), ("status", _("Status"), "text"),
               ("opening_cents", _("Opening float"), "money"), ("cash_sales_cents", _("Cash sales"), "money"),
               ("cash_refunds_cents", _("Cash refunds"), "money"),
               *[(f"{m}_cents", method_label(m), "money") for m in _OUTSIDE_DRAWER],
               ("expected_cents", _("Expected cash"), "money"),
               ("counted_cents", _("Counted cash"), "money"), ("difference_cents", _("Difference"), "money")]
    totals = {key: sum(r[key] or 0 for r in rows) for key, _label, kind in columns if kind == "money"}
    if any(r["counted_cents"] is None for r in rows):  # an open drawer has no count: its expected cash has none to meet
        totals["counted_cents"] = totals["difference_cents"] = None
    totals["seller"] = _("Total")
    return Report(_("Shift reconciliation"), columns, rows, totals, filters, highlight="difference_cents",
                  link=("seller", "sales.shift_report", "shift_id"))  # the shift's page: its figures, or to close it
