"""The counters that make overselling impossible: sold + remaining = quota (sold counts held places too),
changed only by services/inventory.py."""
from mongoengine import BooleanField, DictField, Document, IntField, ObjectIdField, StringField

INVENTORY_KINDS = ("event", "tier", "concession")


class Inventory(Document):
    key = StringField(primary_key=True)  # "event:<id>", "tier:<id>", "concession:<event id>"
    kind = StringField(choices=INVENTORY_KINDS, required=True)
    event_id = ObjectIdField(required=True)
    ticket_type_id = ObjectIdField()
    quota = IntField(required=True, min_value=0)
    sold = IntField(default=0, min_value=0)
    remaining = IntField(required=True, min_value=0)
    # Bumped on the show's counter by every status change: a sale in flight (which read the old status and writes
    # this counter) then conflicts and re-reads the status, so nothing is sold after a cancellation commits.
    fence = IntField(default=0)
    # Set by the same status changes: a hold (taken outside transactions) refuses a show that is not on sale.
    closed = BooleanField(default=False)
    holds = DictField()  # {hold id: places} each live hold took here, so it is given back exactly once
    # Places kept from sale because managers hold their seats back (services/inventory.settle_blocked):
    # sold + blocked + remaining = quota.
    blocked = IntField(default=0, min_value=0)

    meta = {"collection": "inventory", "indexes": ["event_id"]}

    @staticmethod
    def event_key(event_id):
        return f"event:{event_id}"

    @staticmethod
    def tier_key(ticket_type_id):
        return f"tier:{ticket_type_id}"

    @staticmethod
    def concession_key(event_id):
        return f"concession:{event_id}"
