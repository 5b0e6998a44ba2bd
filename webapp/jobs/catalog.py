"""Catalog jobs."""
from . import job


@job
def close_past_shows():
    """Mark finished every show whose end has passed (idempotent; run it from a scheduler or cron)."""
    from ..services.lifecycle import close_past_shows as close

    return close()
