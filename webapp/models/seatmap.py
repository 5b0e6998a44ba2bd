"""A reserved-seating venue's map: zones (price categories), seats with drawing positions, the stage."""
from mongoengine import (DateTimeField, DictField, Document, EmbeddedDocument, EmbeddedDocumentListField,
                         FloatField, IntField, ListField, ReferenceField, StringField)

from .base import utcnow
from .venue import Venue

SEAT_FLAGS = ("wheelchair", "companion", "restricted_view", "not_for_sale")


class Zone(EmbeddedDocument):
    code = StringField(required=True, max_length=16)  # e.g. "A"; a tier sells one zone's seats
    name = StringField(required=True, max_length=60)
    colour = StringField(required=True, regex=r"^#[0-9A-Fa-f]{6}$")


class MapSeat(EmbeddedDocument):
    sid = StringField(required=True, max_length=32)  # unique within the map and stable across edits
    section = StringField(max_length=40, default="")
    row = StringField(max_length=40, default="")  # the row's label ("F") or the table's ("Mesa 3")
    number = StringField(required=True, max_length=8)
    table = StringField(max_length=40, null=True)
    x = FloatField(required=True)  # in seat units: 1 = one seat's width
    y = FloatField(required=True)
    zone = StringField(required=True, max_length=16)
    rank = IntField(default=0)  # lower = better (centre and front first by default)
    flags = ListField(StringField(choices=SEAT_FLAGS))

    @property
    def label(self):
        """What a person reads: "F12", or "Mesa 3 · 2" for a table seat."""
        if self.table:
            return f"{self.table} · {self.number}"
        return f"{self.row}{self.number}"


class SeatMap(Document):
    venue = ReferenceField(Venue, required=True, unique=True)
    zones = EmbeddedDocumentListField(Zone)
    seats = EmbeddedDocumentListField(MapSeat)
    stage = DictField()  # {x, y, w, h, label} or {}
    version = IntField(default=0)  # bumped by every save: the builder shows it, saves check it
    updated_at = DateTimeField(default=utcnow)

    meta = {"collection": "seat_maps"}
