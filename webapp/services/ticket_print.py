"""What goes on a printed ticket: the same facts for the print page, the e-mail and the PDF."""
import io
import re

import segno
from babel.dates import format_datetime
from flask_babel import get_locale
from flask_babel import gettext as _
from fpdf import FPDF

from ..i18n import money
from ..models import Event
from ..timezones import zone
from .ticket_codes import grouped


def qr_svg(code, scale=4):
    """The ticket code as an inline SVG QR code (no external image: box offices lose internet)."""
    return segno.make(code, error="m").svg_inline(scale=scale, omitsize=False)


def seat_parts(seat):
    """Where a seat is, as people read it: [section, "Row F", "Seat 12"], or [section, "Mesa 3", "Seat 2"] for a
    table seat (its row is the table's label); [] for general admission."""
    if not seat:
        return []
    row, number = seat.row or "", seat.number or ""
    at_table = bool(seat.label) and seat.label != f"{row}{number}"  # "Mesa 3 · 2" is not "Mesa 3" + "2"
    parts = [seat.section, row if at_table else (row and _("Row %(row)s", row=row)),
             number and _("Seat %(number)s", number=number)]
    return [part for part in parts if part] or [str(seat)]


def seat_text(seat):
    """"Plateia · Row F · Seat 12" (empty for general admission): one line for tickets, e-mails and the door."""
    return " · ".join(seat_parts(seat))


def seat_order(seat):
    """A sort key putting seats as people count them (section, row, number): "Mesa 10" after "Mesa 9", seat "10"
    after "9"; general admission (None) first."""
    if seat is None:
        return (0,)
    return (1, *(tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or ""))
                 for text in (seat.section, seat.row, seat.number)))


def printable_tickets(order, tickets):
    """One dict per admission: show, venue, local date/time, tier, price, order number, code, and the seat (its
    label and "section · row · seat") of a seated show."""
    event = Event.objects(pk=order.event_id).first()
    venue = event.venue if event else None
    tz = zone(getattr(venue, "timezone", None))
    when = format_datetime(event.starts_at, "EEEE, d MMM y · HH:mm", tzinfo=tz, locale=str(get_locale())) if event else ""
    return [{"show": order.event_title, "venue": getattr(venue, "name", ""), "when": when, "tier": t.tier_name,
             "price": money(t.price_cents), "number": order.number, "code": t.code, "status": t.status,
             "document": t.holder_document, "comp": bool(order.comp_count),
             "seat": seat_text(t.seat), "seat_label": str(t.seat) if t.seat else ""} for t in tickets]


def _latin1(text):
    # fpdf2's core fonts cover Latin-1 (all of Portuguese); anything else becomes "?" rather than an error.
    return str(text).encode("latin-1", "replace").decode("latin-1")


def tickets_pdf(items):
    """A PDF with one page per ticket (text and QR), for the confirmation e-mail."""
    pdf = FPDF(format=(148, 210))  # A5 in mm
    pdf.set_auto_page_break(False)
    for item in items:
        pdf.add_page()
        pdf.set_font("helvetica", "B", 18)
        pdf.multi_cell(0, 9, _latin1(item["show"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "", 12)
        if item.get("seat"):  # where to sit, before anything else but the show
            pdf.set_font("helvetica", "B", 14)
            pdf.multi_cell(0, 8, _latin1(item["seat"]), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("helvetica", "", 12)
        for line in (item["venue"], item["when"], f'{item["tier"]} · {item["price"]}', f'# {item["number"]}'):
            pdf.multi_cell(0, 7, _latin1(line), new_x="LMARGIN", new_y="NEXT")
        png = io.BytesIO()
        segno.make(item["code"], error="m").save(png, kind="png", scale=6, border=2)
        png.seek(0)
        pdf.image(png, x=(pdf.w - 60) / 2, y=pdf.get_y() + 4, w=60, h=60)
        pdf.set_y(pdf.get_y() + 68)
        pdf.set_font("courier", "", 11)
        pdf.multi_cell(0, 6, grouped(item["code"]), align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
