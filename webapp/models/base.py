"""Helpers shared by the documents."""
from datetime import datetime, timezone


def utcnow():
    return datetime.now(timezone.utc)
