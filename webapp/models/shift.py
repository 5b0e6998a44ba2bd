"""A seller's cash shift: opened with a float, running totals per payment method, closed with a count."""
from mongoengine import DateTimeField, DictField, Document, IntField, ObjectIdField, StringField

from .base import utcnow


class Shift(Document):
    seller_id = ObjectIdField(required=True)
    seller_name = StringField()
    opened_at = DateTimeField(default=utcnow)
    closed_at = DateTimeField()
    status = StringField(choices=("open", "closed"), default="open")
    opening_float_cents = IntField(required=True, min_value=0)
    # Running totals, changed in the same transaction as each sale, void or refund.
    totals_by_method = DictField()  # {"cash": cents, "card": cents, ...}
    cash_in_cents = IntField(default=0)
    change_out_cents = IntField(default=0)
    cash_refunds_cents = IntField(default=0)
    comps_given = IntField(default=0)
    counted_cash_cents = IntField(min_value=0)
    expected_cash_cents = IntField()
    difference_cents = IntField()

    meta = {"collection": "shifts", "indexes": [
        ("seller_id", "status"), "-opened_at",
        # One open shift per seller, even when two tabs open one at the same moment.
        {"fields": ["seller_id"], "unique": True, "partialFilterExpression": {"status": "open"},
         "name": "one_open_shift_per_seller"}]}

    @property
    def expected_cash(self):
        from ..services.ledger import drawer_expected  # the one formula, shared with the shift report

        return drawer_expected(self)
