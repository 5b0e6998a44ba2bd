"""Sign-in and account forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, PasswordField, SelectField, SelectMultipleField,
                     StringField, widgets)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from .. import labels
from .fields import IntegerField
from ..models.user import ROLES


def role_choices():
    return [(r, labels.ROLE[r]) for r in ROLES]


LOCALE_CHOICES = list(labels.LANGUAGE.items())


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    next = HiddenField()


class ReauthForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=128)])


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=3, max=40),
        Regexp(r"^[a-zA-Z0-9._-]+$", message=_l("Use letters, digits, dot, dash or underscore."))])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    roles = MultiCheckboxField(_l("Roles"), choices=role_choices, validators=[DataRequired()])
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES, default="pt_BR")
    comp_allowance = IntegerField(_l("Complimentary tickets per shift"), default=0,
                                  validators=[Optional(), NumberRange(min=0, max=1000)])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=8, max=128)])
    active = BooleanField(_l("Active"), default=True)


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=128)])


class DeviceForm(FlaskForm):
    name = StringField(_l("Device name"), validators=[DataRequired(), Length(max=80)])
    role = SelectField(_l("Role"), choices=lambda: [c for c in role_choices() if c[0] in ("door", "seller")],
                       default="door")
