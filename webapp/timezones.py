"""Times are stored in UTC and typed/shown in the venue's own time zone."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "America/Sao_Paulo"


def zone(name):
    """The ZoneInfo for `name`, falling back to the default zone for an unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def is_valid_zone(name):
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return True


def to_utc(value, tz_name):
    """An aware UTC datetime from a naive wall-clock time in `tz_name` (aware values are just converted)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz_name))
    return value.astimezone(timezone.utc)


def as_utc(value):
    """An aware datetime: a naive one (as some documents hold it) is UTC; None stays None."""
    return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value


def to_local(value, tz_name):
    """The UTC datetime as the wall-clock time of `tz_name` (naive UTC from Mongo is treated as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(zone(tz_name))


def local_input(value, tz_name):
    """The value for an <input type=datetime-local> in the venue's zone."""
    return to_local(value, tz_name).strftime("%Y-%m-%dT%H:%M") if value else ""


def utc_from_date(day, tz_name, end_of_day=False):
    """The UTC instant at which a calendar day starts (or, with end_of_day, the next day starts) in tz_name."""
    from datetime import timedelta

    start = datetime(day.year, day.month, day.day)
    if end_of_day:
        start += timedelta(days=1)
    return to_utc(start, tz_name)
