"""The managers' reports as JSON: the same Report rows the screen, CSV and XLSX show (money in cents, UTC times)."""
from datetime import date, datetime

from marshmallow import Schema, fields, validate

from ...security import roles_required
from ...services.door_report import door_report
from ...services.reports import GROUPS, MONEY_METHODS, parse_filters, sales_report
from ...services.shift_report import shift_report
from . import answers, bp, iso
from .schemas import Id, PageQuery, PageSchema, QueryBool

REPORTS = {"sales": sales_report, "shifts": shift_report, "door": door_report}


class ReportQuery(PageQuery):
    start = fields.Date(metadata={"description": "first day (venue time); default 29 days before `end`"})
    end = fields.Date(metadata={"description": "last day (venue time); default today"})
    method = fields.String(validate=validate.OneOf(MONEY_METHODS))
    group = fields.String(validate=validate.OneOf(GROUPS), metadata={"description": "sales: rows per ..."})
    event = Id(metadata={"description": "a show (the door report needs one)"})
    tier = Id()
    seller = Id()
    only_differences = QueryBool(metadata={"description": "shifts: only those whose cash differed"})


class ColumnOut(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("text", "int", "money", "date", "datetime")),
                         metadata={"description": "money: integer cents"})


VALUES = {"keys": fields.String(), "values": fields.Raw(allow_none=True)}


class ReportOut(PageSchema):
    title = fields.String(required=True)
    columns = fields.List(fields.Nested(ColumnOut), required=True)
    items = fields.List(fields.Dict(**VALUES), required=True, metadata={"description": "rows: {column key: value}"})
    totals = fields.Dict(**VALUES, required=True)


def _value(value):
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value if value is None or isinstance(value, (int, float, bool)) else str(value)


def _row(row):
    return {key: _value(value) for key, value in row.items()}


@bp.route("/reports/<any(sales, shifts, door):kind>")
@roles_required("manager")
@bp.doc(tags=["reports"])
@bp.arguments(ReportQuery, location="query")
@bp.response(200, ReportOut)
@answers(400, 401, 403, 404, 422)
def report(args, kind):
    """One report (sales, shifts or door), filtered like the report pages, one page of rows at a time."""
    query = {k: _value(v) for k, v in args.items()}
    query["only_differences"] = "1" if args.get("only_differences") else ""
    filters = parse_filters(query)
    result = REPORTS[kind](filters)
    rows, number, pages = result.page(args["page"], args["per_page"])
    return {"title": result.title, "columns": [{"key": k, "label": str(label), "kind": kind_}
                                               for k, label, kind_ in result.columns],
            "items": [_row(r) for r in rows], "totals": _row(result.totals), "page": number,
            "per_page": args["per_page"], "pages": pages, "total": len(result.rows)}
