"""The casino's show rooms."""
from mongoengine import BooleanField, DateTimeField, Document, IntField, StringField

from .base import utcnow

VENUE_KINDS = ("general", "reserved")


class Venue(Document):
    name = StringField(required=True, unique=True, max_length=120)
    capacity = IntField(required=True, min_value=1, max_value=100000)
    kind = StringField(choices=VENUE_KINDS, default="general")
    timezone = StringField(default="America/Sao_Paulo", max_length=64)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    meta = {"collection": "venues", "ordering": ["name"]}
