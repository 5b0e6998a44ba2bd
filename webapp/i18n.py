"""Language choice and the money / date formatting used by templates and services."""
import re
from decimal import Decimal, InvalidOperation

from babel.dates import format_skeleton
from babel.numbers import NumberFormatError, format_currency, format_decimal, parse_decimal
from flask import current_app, has_request_context, request, session
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user


def select_locale():
    """The user's language, else the one chosen on the login page, else the browser's, else pt-BR."""
    config = current_app.config
    languages = config["LANGUAGES"]
    if not has_request_context():  # CLI commands (seed-demo) and jobs: no visitor, the box office's language
        return config["BABEL_DEFAULT_LOCALE"]
    user = current_user._get_current_object()
    if user and user.is_authenticated and user.locale in languages:
        return user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return "en" if request.accept_languages.best_match(["pt-BR", "pt", "en"]) == "en" else "pt_BR"


def money(cents, currency=None):
    """Integer cents as the locale writes money: R$ 1.234,50 in pt-BR, R$1,234.50 in en."""
    if cents is None:
        return ""
    return format_currency(Decimal(int(cents)) / 100, currency or current_app.config["CURRENCY"],
                           locale=str(get_locale()))


def money_text(cents, locale=None):
    """Integer cents as typed in a money box the locale's way, without the symbol: 1.234,50 in pt-BR."""
    return format_decimal(Decimal(int(cents)) / 100, format="#,##0.00", locale=str(locale or get_locale()))


def money_refused():
    """What a money box typed wrong is told, its example written the user's way (150,00 in pt-BR, 150.00 in en:
    a comma in English reads as thousands, so an English seller shown "150,00" was refused for typing it)."""
    return _("Type an amount of money, e.g. %(example)s.", example=money_text(150_00))


def parse_money(text, locale=None):
    """Cents from money typed the locale's way ("1.234,50" in pt-BR, "1,234.50" in en); ValueError if not
    a non-negative amount with at most two decimals."""
    raw = (text or "").strip().replace("R$", "").replace("\u00a0", "").strip()
    if not raw or len(raw) > 20 or not re.fullmatch(r"[0-9][0-9.,\s]*", raw):
        raise ValueError("not a number")
    try:
        value = parse_decimal(raw, locale=str(locale or get_locale()), strict=True)
    except (NumberFormatError, InvalidOperation):
        raise ValueError("not a number") from None
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError("more than two decimals")
    return int(cents)


def datetime_local(value, fmt="short"):
    return format_datetime(value, fmt) if value else ""


def chart_hour(value):
    """An hour as the language writes it on a chart's axis: 20h in pt-BR, 8 PM in English."""
    locale = get_locale()
    if "h" in locale.time_formats["short"].pattern:  # a 12-hour clock (lower-case h in the CLDR pattern)
        return format_skeleton("h", value, locale=locale)
    return f"{value:%H}h"


def chart_day(value):
    """A day and month as the language writes them on a chart's axis: 02/11 in pt-BR, 11/2 in English."""
    return format_skeleton("Md", value, locale=get_locale())
