"""The catalog: venues, shows and their price tiers (admins edit; managers and sellers read)."""
from babel.dates import format_date, format_datetime, format_time
from flask import Blueprint
from flask_babel import get_locale

from ...timezones import to_local, zone

bp = Blueprint("catalog", __name__)

EDITORS = ("admin",)
READERS = ("admin", "manager", "seller")


@bp.app_template_filter("venue_dt")
def venue_dt(value, tz_name, fmt="short"):
    """A UTC time as the venue's wall clock, in the user's language."""
    if not value:
        return ""
    local, locale = to_local(value, tz_name), str(get_locale())
    if fmt == "full":  # the weekday and date in full, the time short (Babel's full time adds the zone's long name)
        return f"{format_date(local, 'full', locale=locale)} · {format_time(local, 'short', locale=locale)}"
    return format_datetime(local, fmt, tzinfo=zone(tz_name), locale=locale)


@bp.app_context_processor
def _catalog_helpers():
    from ...services.lifecycle import status_label

    return {"status_label": status_label}



from . import events, seats, tiers, venues  # noqa: E402,F401  (routes attach to bp)
from . import seatmaps  # noqa: E402,F401
