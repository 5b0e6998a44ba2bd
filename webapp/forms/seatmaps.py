"""Forms of the seat map builder: zones, blocks of rows, tables, one seat, JSON import."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from ..models.seatmap import SEAT_FLAGS
from ..services.seat_layout import MAX_PER_ROW, MAX_ROWS, MAX_TABLE_SEATS, MAX_TABLES
from ..services.seat_svg import FLAG
from .fields import FloatField, IntegerField

NUMBERING = {"ltr": _l("1, 2, 3… left to right"), "rtl": _l("1, 2, 3… right to left"),
             "odd_even": _l("Even on the left, odd on the right, from the centre"),
             "even_odd": _l("Odd on the left, even on the right, from the centre"),
             "odd_ltr": _l("Odd only, left to right"), "odd_rtl": _l("Odd only, right to left"),
             "even_ltr": _l("Even only, left to right"), "even_rtl": _l("Even only, right to left")}
POSITION = [InputRequired(), NumberRange(min=-1000, max=1000)]


class MapForm(FlaskForm):
    """Every builder form carries the map version it was made from: a save on top of another's edit is refused."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0)])


class ZoneForm(MapForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{1,16}$", message=_l(
        "Letters, digits, - or _ (at most 16)."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    colour = StringField(_l("Colour"), default="#8ecae6", render_kw={"type": "color"},
                         validators=[DataRequired(), Regexp(r"^#[0-9A-Fa-f]{6}$", message=_l("A colour as #RRGGBB."))])


class PlacedForm(MapForm):
    section = StringField(_l("Section"), validators=[DataRequired(), Length(max=40)])
    zone = SelectField(_l("Zone"), choices=[], validators=[DataRequired()])
    x = FloatField(_l("Left (in seats)"), default=0, validators=POSITION)
    y = FloatField(_l("Top (in rows)"), default=0, validators=POSITION)


class BlockForm(PlacedForm):
    rows = IntegerField(_l("Rows"), default=10, validators=[InputRequired(), NumberRange(min=1, max=MAX_ROWS)])
    per_row = IntegerField(_l("Seats per row"), default=20,
                           validators=[InputRequired(), NumberRange(min=1, max=MAX_PER_ROW)])
    first_row = StringField(_l("First row"), default="A", validators=[DataRequired(), Length(max=3)])
    skip_io = BooleanField(_l("Skip rows I and O"), default=True)
    numbering = SelectField(_l("Seat numbers"), choices=list(NUMBERING.items()), default="ltr")
    first_number = IntegerField(_l("First seat number"), default=1,
                                validators=[InputRequired(), NumberRange(min=0, max=9999)])
    curve = FloatField(_l("Curve (seats)"), default=0, validators=[InputRequired(), NumberRange(min=-50, max=50)])
    stagger = FloatField(_l("Offset of every other row (seats)"), default=0,
                         validators=[InputRequired(), NumberRange(min=-5, max=5)])


class TablesForm(PlacedForm):
    count = IntegerField(_l("Tables"), default=6, validators=[InputRequired(), NumberRange(min=1, max=MAX_TABLES)])
    seats = IntegerField(_l("Seats per table"), default=4,
                         validators=[InputRequired(), NumberRange(min=1, max=MAX_TABLE_SEATS)])
    prefix = StringField(_l("Table name"), default=_l("Table"), validators=[DataRequired(), Length(max=20)])
    first_number = IntegerField(_l("First table number"), default=1,
                                validators=[InputRequired(), NumberRange(min=0, max=9999)])
    columns = IntegerField(_l("Tables per line"), default=5, validators=[InputRequired(), NumberRange(min=1, max=50)])


class SeatForm(MapForm):
    section = StringField(_l("Section"), validators=[Optional(), Length(max=40)])
    row = StringField(_l("Row"), validators=[Optional(), Length(max=40)])
    number = StringField(_l("Number"), validators=[DataRequired(), Length(max=8)])
    zone = SelectField(_l("Zone"), choices=[], validators=[DataRequired()])
    flags = SelectMultipleField(_l("Flags"), choices=[(f, FLAG[f]) for f in SEAT_FLAGS],
                                option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    x = FloatField(_l("Left (in seats)"), validators=POSITION)
    y = FloatField(_l("Top (in rows)"), validators=POSITION)


class ImportForm(MapForm):
    file = FileField(_l("Seat map file (JSON)"), validators=[FileRequired(_l("Choose a file."))])
