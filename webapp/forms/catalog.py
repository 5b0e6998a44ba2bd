"""Forms of the catalog: venues, shows, price tiers, and the show list's filters."""
from datetime import datetime


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import labels
from ..i18n import money_text, parse_money
from ..services.events import EventFields
from ..services.tiers import TierFields
from ..timezones import DEFAULT_TZ, local_input, to_utc
from .fields import IntegerField

MAX_INT = 1_000_000


class ParsedTextField(StringField):
    """Text typed by a person and parsed into `data` by `parse(raw)`; what was typed is shown back as typed."""

    def _value(self):
        return self.raw_data[0] if self.raw_data else self.show(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw_data, self.data = [raw], None
        if raw:
            self.data = self.parse(raw)

    def show(self, data):
        return str(data)

    def parse(self, raw):
        raise NotImplementedError


class LocalDateTimeField(ParsedTextField):
    """A wall-clock time in the venue's zone ("2025-05-01T21:00", as <input type=datetime-local> sends it);
    an ISO time with an offset is accepted too (API). `data` is a datetime, naive when no offset was given."""

    FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"type": "datetime-local"})
        super().__init__(*args, **kwargs)

    def show(self, data):
        return data.strftime("%Y-%m-%dT%H:%M")

    def parse(self, raw):
        for fmt in self.FORMATS:
            try:
                return datetime.strptime(raw, fmt)
            except ValueError:
                pass
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00")) if len(raw) <= 40 else None
        except ValueError:
            value = None
        if value is None or not 2000 <= value.year <= 2100:
            raise ValueError(_l("Enter a date and time like 2025-12-31 21:00."))
        return value


class MoneyField(ParsedTextField):
    """Money typed the locale's way ("1.234,50" in pt-BR, "1,234.50" in en); `data` is integer cents."""

    locale = None  # the API sets "en" (a JSON number is not a locale's way of writing)

    def show(self, data):
        return money_text(data, self.locale)

    def parse(self, raw):
        try:
            return parse_money(raw, self.locale)
        except ValueError:
            raise ValueError(_l("Type a price like %(example)s.",
                                example=money_text(1234_50, self.locale)))


class VenueForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(_l("Capacity"), validators=[InputRequired(), NumberRange(min=1, max=100_000)])
    kind = SelectField(_l("Kind"), default="general",
                       choices=list(labels.VENUE_KIND.items()))
    timezone = StringField(_l("Time zone"), default=DEFAULT_TZ, validators=[DataRequired(), Length(max=64)])


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    venue = SelectField(_l("Venue"), validators=[DataRequired()], choices=[])
    starts_at = LocalDateTimeField(_l("Starts at"), validators=[InputRequired()])
    ends_at = LocalDateTimeField(_l("Ends at"), validators=[InputRequired()])
    doors_at = LocalDateTimeField(_l("Doors open at"), validators=[Optional()])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1, max=100_000)])
    max_per_order = IntegerField(_l("Max tickets per order"), default=10,
                                 validators=[InputRequired(), NumberRange(min=1, max=100)])
    concession_cap_pct = IntegerField(_l("Concession cap (percent of capacity)"), default=40,
                                      validators=[InputRequired(), NumberRange(min=0, max=100)])
    sales_start = LocalDateTimeField(_l("Sales start"), validators=[Optional()])
    sales_end = LocalDateTimeField(_l("Sales close at"), validators=[Optional()])

    def to_fields(self, venue):
        """The service's EventFields, times read in the venue's zone."""
        tz = venue.timezone
        return EventFields(title=self.title.data, description=self.description.data, venue=venue,
                           starts_at=to_utc(self.starts_at.data, tz), ends_at=to_utc(self.ends_at.data, tz),
                           doors_at=to_utc(self.doors_at.data, tz), capacity=self.capacity.data,
                           max_per_order=self.max_per_order.data, concession_cap_pct=self.concession_cap_pct.data,
                           sales_start=to_utc(self.sales_start.data, tz), sales_end=to_utc(self.sales_end.data, tz))

    def fill(self, event):
        """Show a saved show's values, times in its venue's zone."""
        self.process(obj=event)
        self.venue.data = str(event.venue.pk)
        fill_times(self, event, event.venue.timezone, ("starts_at", "ends_at", "doors_at", "sales_start", "sales_end"))


def fill_times(form, obj, tz, names):
    for name in names:
        value = getattr(obj, name, None)
        getattr(form, name).raw_data = [local_input(value, tz)] if value else []


class DuplicateForm(FlaskForm):
    starts_at = LocalDateTimeField(_l("Starts at"), validators=[InputRequired()])
    ends_at = LocalDateTimeField(_l("Ends at"), validators=[InputRequired()])
    doors_at = LocalDateTimeField(_l("Doors open at"), validators=[Optional()])


class TierForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    price = MoneyField(_l("Price"), validators=[InputRequired()])
    quota = IntegerField(_l("Quota"), validators=[InputRequired(), NumberRange(min=0, max=MAX_INT)])
    max_per_order = IntegerField(_l("Max per order"), validators=[Optional(), NumberRange(min=1, max=100)])
    is_concession = BooleanField(_l("Concession (document required)"))
    sales_start = LocalDateTimeField(_l("Sales start"), validators=[Optional()])
    sales_end = LocalDateTimeField(_l("Sales end"), validators=[Optional()])
    zone = StringField(_l("Zone"), validators=[Optional(), Length(max=16)])  # reserved seating only

    def to_fields(self, tz):
        """The service's TierFields, window read in the venue's zone."""
        return TierFields(name=self.name.data, price_cents=self.price.data, quota=self.quota.data,
                          max_per_order=self.max_per_order.data, is_concession=self.is_concession.data,
                          sales_start=to_utc(self.sales_start.data, tz), sales_end=to_utc(self.sales_end.data, tz),
                          zone=self.zone.data)

    def fill(self, tier, tz):
        """Show a saved tier's values."""
        self.process(obj=tier)
        self.price.data = tier.price_cents
        fill_times(self, tier, tz, ("sales_start", "sales_end"))


class EventFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Title"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), validators=[Optional()], choices=[])
    venue = SelectField(_l("Venue"), validators=[Optional()], choices=[])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_INT)], default=1)

