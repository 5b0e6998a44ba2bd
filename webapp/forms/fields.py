"""Number boxes that say one thing when what was typed is not a number: what they want, not that and their range."""
from flask_babel import lazy_gettext as _l
from wtforms import FloatField as _FloatField
from wtforms import IntegerField as _IntegerField
from wtforms.validators import StopValidation


class _ReadFirst:
    """Text that cannot be read as a number gets this field's one message; the validators (range, required) run
    only on a number. An empty box still goes to them (Optional lets it be, InputRequired asks for it)."""

    unreadable = None

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(self.unreadable)) from None

    def pre_validate(self, form):
        if self.process_errors and self.raw_data and str(self.raw_data[0]).strip():
            raise StopValidation()
        super().pre_validate(form)


class IntegerField(_ReadFirst, _IntegerField):
    unreadable = _l("Type a whole number, for example 12.")


class FloatField(_ReadFirst, _FloatField):
    unreadable = _l("Type a number, for example 2 or 1.5.")
