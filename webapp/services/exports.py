"""A report as CSV or XLSX: the same rows as on screen, money as decimal amounts, times in the venue zone.

CSV is written the way the reader's spreadsheet program reads it: a decimal-comma language (pt-BR) gets `;`
between fields, `1320,00` and day-first dates; English gets `,`, `1320.00` and ISO dates; both UTF-8 with a BOM.
Typed text (a seller's name, a gate, a show's title) never becomes a live formula in either format.
"""
import csv
import io
from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.numbers import get_decimal_symbol
from flask_babel import get_locale
from openpyxl import Workbook
from openpyxl.styles import Font

from ..timezones import to_local
from .aggregates import app_zone

BRL_FORMAT = '"R$" #,##0.00'
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
# A spreadsheet reads a cell starting with one of these as a formula (or a DDE call); the full-width forms
# count too, since some spreadsheet locales fold them to the ASCII ones.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Languages whose spreadsheet programs expect day-first dates (the rest get ISO dates, read everywhere).
DAY_FIRST = {"pt"}


def looks_like_formula(text):
    """Whether a spreadsheet program would evaluate this text instead of showing it."""
    return isinstance(text, str) and text.startswith(FORMULA_START)


def _value(value, kind):
    """The cell value: Decimal reais for money, naive local datetimes, plain numbers and text."""
    if value is None or value == "":
        return None
    if kind == "money":
        return Decimal(int(value)) / 100
    if kind == "datetime" and isinstance(value, datetime):
        return to_local(value, app_zone()).replace(tzinfo=None)
    return value


class CsvStyle:
    """How one language's spreadsheet programs read CSV: field separator, decimal mark, date order."""

    def __init__(self, locale):
        locale = Locale.parse(str(locale))
        self.decimal = get_decimal_symbol(locale)
        # Where the comma is the decimal mark, it cannot also separate fields: those programs expect `;`.
        self.separator = ";" if self.decimal == "," else ","
        day_first = locale.language in DAY_FIRST
        self.datetime_format = "%d/%m/%Y %H:%M" if day_first else "%Y-%m-%d %H:%M"
        self.date_format = "%d/%m/%Y" if day_first else "%Y-%m-%d"

    def text(self, value, kind):
        """One CSV field: numbers as the reader writes them (still numbers), text never a formula."""
        value = _value(value, kind)
        if value is None:
            return ""
        if kind == "money":
            return f"{value:.2f}".replace(".", self.decimal)
        if isinstance(value, datetime):
            return value.strftime(self.datetime_format)
        if isinstance(value, date):
            return value.strftime(self.date_format)
        if isinstance(value, (int, float, Decimal)):
            return str(value).replace(".", self.decimal)
        return self.safe(str(value))

    @staticmethod
    def safe(text):
        """Typed text with a leading apostrophe when a spreadsheet would otherwise evaluate it."""
        return "'" + text if looks_like_formula(text) else text


def _table(report):
    yield [label for _key, label, _kind in report.columns], None
    for row in report.rows:
        yield [(row.get(key), kind) for key, _label, kind in report.columns], row
    if report.totals:
        yield [(report.totals.get(key), kind) for key, _label, kind in report.columns], report.totals


def to_csv(report, locale=None):
    """The report as CSV text in the reader's language style (UTF-8 with BOM so spreadsheets read the accents)."""
    style = CsvStyle(locale or get_locale())
    out = io.StringIO()
    writer = csv.writer(out, delimiter=style.separator)
    for label, value, kind in report.summary:
        writer.writerow([style.safe(str(label)), style.text(value, kind)])
    for cells, row in _table(report):
        writer.writerow([style.safe(str(c)) for c in cells] if row is None else [style.text(v, k) for v, k in cells])
    return "\ufeff" + out.getvalue()


def to_xlsx(report):
    """The report as an XLSX workbook (bytes): numeric money cells with a BRL format, real date cells."""
    book = Workbook()
    sheet = book.active
    sheet.title = report.title[:31]
    for label, value, kind in report.summary:
        _put(sheet, [(label, "text"), (value, kind)])
    for cells, row in _table(report):
        if row is None:
            _put(sheet, [(label, "text") for label in cells], bold=True)
        else:
            _put(sheet, cells, bold=row is report.totals)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(sheet, cells, bold=False):
    values = [_value(value, kind) for value, kind in cells]
    sheet.append([float(v) if isinstance(v, Decimal) else v for v in values])
    for cell, (_raw, kind) in zip(sheet[sheet.max_row], cells):
        if isinstance(cell.value, str):
            # openpyxl stores text starting with "=" as a formula: every text cell is a string, and one a
            # spreadsheet would evaluate once edited keeps Excel's quote prefix (shown and edited as text).
            cell.data_type = "s"
            cell.quotePrefix = looks_like_formula(cell.value)
        if kind == "money":
            cell.number_format = BRL_FORMAT
        elif kind == "datetime":
            cell.number_format = DATETIME_FORMAT
        elif kind == "date":
            cell.number_format = DATE_FORMAT
        if bold:
            cell.font = Font(bold=True)
