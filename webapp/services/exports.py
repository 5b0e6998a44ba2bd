"""A report as CSV or XLSX: the same rows as on screen, money as decimal amounts, times in the venue zone."""
import csv
import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from ..timezones import to_local
from .aggregates import app_zone

BRL_FORMAT = '"R$" #,##0.00'
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"


def _value(value, kind):
    """The cell value: Decimal reais for money, naive local datetimes, plain numbers and text."""
    if value is None or value == "":
        return None
    if kind == "money":
        return Decimal(int(value)) / 100
    if kind == "datetime" and isinstance(value, datetime):
        return to_local(value, app_zone()).replace(tzinfo=None)
    return value


def _text(value, kind):
    value = _value(value, kind)
    if value is None:
        return ""
    if kind == "money":
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _table(report):
    yield [label for _key, label, _kind in report.columns], None
    for row in report.rows:
        yield [(row.get(key), kind) for key, _label, kind in report.columns], row
    if report.totals:
        yield [(report.totals.get(key), kind) for key, _label, kind in report.columns], report.totals


def to_csv(report):
    """The report as CSV text (UTF-8 with BOM so spreadsheet programs read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for label, value, kind in report.summary:
        writer.writerow([label, _text(value, kind)])
    for cells, row in _table(report):
        writer.writerow(cells if row is None else [_text(v, k) for v, k in cells])
    return "\ufeff" + out.getvalue()


def to_xlsx(report):
    """The report as an XLSX workbook (bytes): numeric money cells with a BRL format, real date cells."""
    book = Workbook()
    sheet = book.active
    sheet.title = report.title[:31]
    for label, value, kind in report.summary:
        _put(sheet, [label, (value, kind)])
    for cells, row in _table(report):
        if row is None:
            sheet.append(cells)
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        else:
            _put(sheet, cells, bold=row is report.totals)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(sheet, cells, bold=False):
    values = [c if not isinstance(c, tuple) else _value(*c) for c in cells]
    sheet.append([float(v) if isinstance(v, Decimal) else v for v in values])
    for cell, spec in zip(sheet[sheet.max_row], cells):
        kind = spec[1] if isinstance(spec, tuple) else "text"
        if kind == "money":
            cell.number_format = BRL_FORMAT
        elif kind == "datetime":
            cell.number_format = DATETIME_FORMAT
        elif kind == "date":
            cell.number_format = DATE_FORMAT
        if bold:
            cell.font = Font(bold=True)
