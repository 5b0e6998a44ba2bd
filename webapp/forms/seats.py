"""Forms of reserved seating: a manager holding back or releasing seats of a show."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..services.seat_blocks import REASONS


class SeatBlockForm(FlaskForm):
    seats = StringField(_l("Seats"), validators=[DataRequired(), Length(max=2000)])
    reason = SelectField(_l("Why"), choices=list(REASONS.items()), default="house")
    note = StringField(_l("Note"), validators=[Optional(), Length(max=120)])

    def seat_ids(self):
        """The seat ids typed, separated by spaces or commas ("A1 A2, B5")."""
        return [s for s in re.split(r"[\s,;]+", self.seats.data or "") if s]
