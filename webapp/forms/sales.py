"""Reading the POS and shift forms: quantities, documents and money typed the locale's way."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, ValidationError

from ..i18n import money_refused, parse_money
from ..payment_methods import METHODS, MONEY_CODES
from ..services import ServiceError

_LINES = re.compile(r"[\n,;]+")


def _money_check(form, field):
    try:
        field.cents = parse_money(field.data)
    except ValueError:
        raise ValidationError(money_refused()) from None


class OpenShiftForm(FlaskForm):
    opening_float = StringField(_l("Opening cash float"), validators=[DataRequired(), _money_check])


class CloseShiftForm(FlaskForm):
    counted_cash = StringField(_l("Cash counted in the drawer"), validators=[DataRequired(), _money_check])


def _cents(form, name):
    text = (form.get(name) or "").strip()
    if not text:
        return None
    try:
        return parse_money(text)
    except ValueError:
        raise ServiceError(money_refused(), name) from None


def quantities_of(form):
    """{tier id: quantity} of the POS form's `qty-<tier>` boxes; a ServiceError naming "quantities" if one is not
    a whole number from 0 to 100."""
    quantities = {}
    for name, value in form.items():
        if name.startswith("qty-"):
            value = (value or "").strip() or "0"
            if not value.isdigit() or len(value) > 3:
                raise ServiceError(_("Quantities must be whole numbers from 0 to %(n)d.", n=100), "quantities")
            quantities[name[4:]] = int(value)
    return quantities


def payments_of(form):
    for method in METHODS.values():  # a complimentary sale is ticked, and given whole
        if not method.money and form.get(method.code) == "1":
            return [{"method": method.code, method.identifier: form.get(method.form_field)}]
    entries = []
    for method in METHODS.values():
        if not method.money:
            continue
        amount, given = f"{method.code}_amount", method.form_field
        if form.get(amount, "").strip() or form.get(given, "").strip():
            value = _cents(form, given) if method.identifier.endswith("_cents") else form.get(given)
            entries.append({"method": method.code, "amount_cents": _cents(form, amount), method.identifier: value})
    return entries


def payment_refusal(exc, form):
    """A sale refused for having no payment at all, said for the money method the seller is on (`paying`: the
    counter keeps there the method of the last payment box the seller was in): its box, named by the registry."""
    method = METHODS.get(form.get("paying") or "")
    if exc.field != "payments" or method is None or not method.money or payments_of(form):
        return exc
    return ServiceError(_("Paying by %(method)s: fill in “%(box)s”.", method=method.label, box=method.entry_label),
                        method.form_field)


def money_per_method(form, prefix):
    """{method: cents} typed in `<prefix><method>` boxes (blank boxes left out), e.g. a refund's split."""
    split = {code: _cents(form, prefix + code) for code in MONEY_CODES}
    return {code: cents for code, cents in split.items() if cents is not None}


def text_per_method(form, prefix):
    """{method: text} of `<prefix><method>` boxes, e.g. the references of card reversals and Pix refunds."""
    return {code: form.get(prefix + code) for code in MONEY_CODES if form.get(prefix + code)}


def lines_of(text):
    """The entries of a box typed one per line (or separated by commas or semicolons)."""
    return [entry for entry in _LINES.split(text or "") if entry.strip()]


def parse_sale(form):
    """The POS form as keyword arguments of services.sales.sell (prices are never read from the form)."""
    sale = {"quantities": quantities_of(form), "payments": payments_of(form),
            "documents": {name[5:]: lines_of(value) for name, value in form.items() if name.startswith("docs-")},
            "customer": {"name": form.get("customer_name"), "email": form.get("customer_email"),
                         "phone": form.get("customer_phone")},
            "idempotency_key": form.get("key")}
    picked = form.getlist("seat") if hasattr(form, "getlist") else []
    if picked:  # a seated show's seats, picked on the map (general admission sends none)
        sale["seat_ids"] = picked
    return sale
