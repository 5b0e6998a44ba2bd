"""A hold: places taken from a show's counters for one seller while the customer pays, until it expires."""
from mongoengine import DateTimeField, DictField, Document, IntField, ListField, ObjectIdField, StringField

from .base import utcnow

# taking → held → sold (the sale's transaction) | releasing → deleted once its places are back. "taking" and
# "releasing" are the moments between the hold record and the counters: the sweeper finishes them when a
# process died there.
HOLD_STATUSES = ("taking", "held", "sold", "releasing")


class Hold(Document):
    event_id = ObjectIdField(required=True)
    seller_id = ObjectIdField(required=True)
    status = StringField(choices=HOLD_STATUSES, default="taking")
    # What was asked: [{"ticket_type_id", "name", "quantity", "is_concession"}], in the show's tier order.
    lines = ListField(DictField())
    seats = ListField(StringField(max_length=32))  # reserved seating: the sids of the show's seats it holds
    takes = DictField()  # {counter key: places}: what each counter gives back on release
    expires_at = DateTimeField(required=True)
    created_at = DateTimeField(default=utcnow)
    # A sale's idempotency key (unique while the hold lives or sold): a double click finds this hold, not a second.
    idempotency_key = StringField(max_length=64)
    order_id = ObjectIdField()
    sold_at = DateTimeField()
    tidy = IntField(default=0)  # 1 once a sold hold's marks are cleared from the counters
    fence = IntField(default=0)  # bumped by a show's status change: a sale converting this hold retries

    meta = {"collection": "holds", "indexes": [
        # Live holds by expiry: the sweeper's, and a show's status change (fence_show) reads the live holds through
        # it too — they are few (sold holds are outside its range), so (event_id, status) did not pay its writes.
        ("status", "expires_at"),
        # Only sold holds whose marks the sweeper has not noted tidy: a hold enters it when sold and leaves it
        # once tidied, instead of every hold staying in it forever.
        {"fields": ["status", "tidy", "sold_at"], "partialFilterExpression": {"status": "sold", "tidy": 0},
         "name": "sold_not_tidy"},
        {"fields": ["idempotency_key"], "unique": True, "sparse": True}]}
