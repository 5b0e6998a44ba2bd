"""What a sale request says, cleaned and checked before anything is read: quantities, concession documents,
the customer (pure: no database, no request)."""
import re

from bson import ObjectId
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import NotFound, ServiceError

MAX_QUANTITY = 100
_DOCUMENT = re.compile(r"^[A-Za-z0-9./-]{3,30}$")
_PHONE = re.compile(r"^[0-9 +().-]{6,30}$")


def object_id(value, message):
    """`value` as an ObjectId, or NotFound(message) for anything else (`message` may be lazy: a sale's ids are
    good, and translating its messages up front cost more than checking them)."""
    if isinstance(value, ObjectId):
        return value
    if not ObjectId.is_valid(str(value or "")):
        raise NotFound(str(message))
    return ObjectId(str(value))


def clean_quantities(quantities):
    """{tier ObjectId: qty} of the tickets asked for (zeros dropped, the same tier added up), or ServiceError."""
    clean = {}
    for tier_id, qty in (quantities or {}).items():
        if not isinstance(qty, int) or isinstance(qty, bool) or not 0 <= qty <= MAX_QUANTITY:
            raise ServiceError(_("Quantities must be whole numbers from 0 to %(n)d.", n=MAX_QUANTITY), "quantities")
        if qty:
            key = object_id(tier_id, _l("Ticket type not found."))
            clean[key] = clean.get(key, 0) + qty
    if not clean:
        raise ServiceError(_("Choose at least one ticket."), "quantities")
    return clean


def clean_documents(documents):
    """{tier ObjectId: [document numbers]} trimmed and checked (ids that are not ObjectIds dropped)."""
    clean = {}
    for tier_id, values in (documents or {}).items():
        docs = [d.strip() for d in (values or []) if d and d.strip()]
        for doc in docs:
            if not _DOCUMENT.match(doc):
                raise ServiceError(_("Document numbers have 3 to 30 letters, digits, dots or dashes."), "documents")
        if ObjectId.is_valid(str(tier_id)):
            clean[ObjectId(str(tier_id))] = docs
    return clean


def clean_customer(customer):
    """The optional customer fields, trimmed and checked (e-mail lower-cased); {} when none was given."""
    customer = {k: (v or "").strip() for k, v in (customer or {}).items() if k in ("name", "email", "phone")}
    if len(customer.get("name", "")) > 120:
        raise ServiceError(_("The name is too long."), "customer_name")
    if customer.get("email"):
        try:
            customer["email"] = validate_email(customer["email"], check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            raise ServiceError(_("This e-mail address is not valid."), "customer_email") from None
    if customer.get("phone") and not _PHONE.match(customer["phone"]):
        raise ServiceError(_("This phone number is not valid."), "customer_phone")
    return {k: v for k, v in customer.items() if v}
