"""Report aggregates: sales counters per local day (with its UTC hours inside), kept in the sale/void/refund transactions.

A report over a date range reads these buckets, never the raw orders, so its cost follows the range and
the number of shows and sellers active in it, not the size of the whole history.
"""
from mongoengine import DictField, Document, IntField, ObjectIdField, StringField


class SalesDay(Document):
    """One show's sales by one seller on one local (venue time zone) day."""

    id = StringField(primary_key=True)  # "<YYYY-MM-DD>:<event id>:<seller id>"
    day = StringField(required=True)  # local date, ISO: compares as a string
    event_id = ObjectIdField(required=True)
    seller_id = ObjectIdField(required=True)
    orders = IntField(default=0)
    sold = IntField(default=0)  # tickets issued (paid and complimentary)
    comps = IntField(default=0)  # of which complimentary
    returned = IntField(default=0)  # tickets voided or refunded on this day
    gross_cents = IntField(default=0)  # money taken (complimentary tickets bring none)
    refunds_cents = IntField(default=0)  # money given back (voids and refunds)
    tiers = DictField()  # {ticket type id: {sold, comps, returned, gross_cents, refunds_cents}}
    methods = DictField()  # {payment method: {payments, in_cents, out_cents}}
    # {UTC hour "YYYY-MM-DDTHH": {sold, returned, gross_cents, refunds_cents}} of this bucket's events: the
    # dashboard's last-24-hours chart. Inside the day bucket so a sale writes one document in one command.
    hours = DictField()

    meta = {"collection": "sales_days", "indexes": ["day", ("event_id", "day"), ("seller_id", "day")]}

