"""The API's shared schema pieces: strict JSON types, UTC times, ids, cents, the error body and the page shape.

JSON types are strict (an integer is not "2", 2.0 or true; a boolean is not 1): what the document says is what is
accepted, so a request that matches it is never refused for its shape, and one that does not is a 400.
"""
import copy
from datetime import timezone

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, RAISE, Schema, fields, missing, validate

OBJECT_ID = r"^[0-9a-fA-F]{24}$"
IDEMPOTENCY_KEY = r"^[A-Za-z0-9-]{8,64}$"
MAX_CENTS = 10_000_000_00  # shifts' and sales' typo guard
MAX_TEXT = 500

ERROR_TEXTS = {
    400: "The request does not match this operation's schema: `fields` names each field and what is wrong.",
    401: "No token, or one that ended (send `Authorization: Bearer <token>`).",
    403: "The token's role may not do this (or a recent sign-in is needed).",
    404: "Not found.",
    405: "Method not allowed.",
    409: "The state conflicts (sold out, already closed, already sold...).",
    422: "A rule refused the request (`error` says which; `fields` names the field when one is to blame), or an "
         "Idempotency-Key reused with another body.",
    429: "Too many attempts: wait and try again.",
    503: "Nothing was saved: the database is out of reach, or an earlier try with the same Idempotency-Key is still "
         "under way. Send the same request (same key) again after `Retry-After` seconds.",
}

# marshmallow's own messages, said in the user's language.
_MESSAGES = {
    "Missing data for required field.": _l("Required."),
    "Field may not be null.": _l("May not be null."),
    "Not a valid integer.": _l("Must be a whole number."),
    "Not a valid string.": _l("Must be text."),
    "Not a valid boolean.": _l("Must be true or false."),
    "Not a valid list.": _l("Must be a list."),
    "Invalid input type.": _l("Must be an object."),
    "Not a valid datetime.": _l("Must be a date and time like 2025-12-31T21:00:00Z."),
    "Not a valid date.": _l("Must be a date like 2025-12-31."),
    "String does not match expected pattern.": _l("Has the wrong format."),
    "Must be one of: ": _l("Is not one of the accepted values."),
    "Length must be between ": _l("Has the wrong length."),
    "Longer than maximum length ": _l("Is too long."),
    "Shorter than minimum length ": _l("Is too short."),
    "Must be greater than or equal to ": _l("Is out of range."),
    "Must be less than or equal to ": _l("Is out of range."),
}


def _say(message):
    for english, said in _MESSAGES.items():
        if message == english or (english.endswith(" ") and message.startswith(english)):
            return str(said)
    return message


def field_messages(messages, prefix=""):
    """webargs' nested {location: {field: [messages]}} as {"items.0.quantity": "message"}."""
    out = {}
    for key, value in messages.items():
        if not prefix and key in ("json", "query", "headers", "view_args", "path"):
            out.update(field_messages(value, ""))
            continue
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(field_messages(value, name))
        else:
            out[name] = " ".join(_say(str(m)) for m in (value if isinstance(value, list) else [value]))
    return out


class Int(fields.Integer):
    """A JSON integer, never a boolean, a float or text."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class Bool(fields.Boolean):
    """A JSON true or false, nothing else."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Cents(Int):
    """Money in integer cents (BRL)."""

    def __init__(self, maximum=MAX_CENTS, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("description", "integer cents")
        super().__init__(validate=validate.Range(0, maximum), **kwargs)


class UtcDateTime(fields.DateTime):
    """ISO 8601 in UTC with a Z on the way out (naive values from MongoDB are UTC); any offset on the way in."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def Id(**kwargs):
    """A MongoDB id: 24 hex digits."""
    return fields.String(validate=validate.Regexp(OBJECT_ID), **kwargs)


def Text(maximum, minimum=0, **kwargs):
    return fields.String(validate=validate.Length(minimum, maximum), **kwargs)


class In(Schema):
    """A request body: fields it does not know are ignored (older or newer clients keep working)."""

    class Meta:
        unknown = EXCLUDE


def patch_of(schema, name):
    """The PATCH form of a body schema: the same fields, none required and none defaulted (absent: unchanged)."""
    out = {}
    for key, field in schema._declared_fields.items():
        field = copy.copy(field)
        field.required, field.load_default = False, missing
        out[key] = field
    return In.from_dict(out, name=name)


class ErrorSchema(Schema):
    error = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    status = Int()  # the app-wide error pages' JSON also says it


class IdempotencyHeader(In):
    key = fields.String(required=True, data_key="Idempotency-Key", validate=validate.Regexp(IDEMPOTENCY_KEY),
                        metadata={"description": "8–64 letters, digits or dashes: the same key with the same body "
                                                 "answers the first result again; with another body, a 422"})


class Query(Schema):
    """A query string: a parameter it does not know is a 400 (a misspelt filter would silently filter nothing)."""

    class Meta:
        unknown = RAISE


class QueryBool(fields.Boolean):
    """true or false in a query string."""

    def __init__(self, **kwargs):
        super().__init__(truthy={"true"}, falsy={"false"}, **kwargs)


class PageQuery(Query):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 1_000_000), strict=False)
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100), strict=False)


class PageSchema(Schema):
    """Every list answers {items, page, per_page, pages, total}."""

    page = Int(required=True)
    per_page = Int(required=True)
    pages = Int(required=True)
    total = Int(required=True)


def page_of(items, page=1, per_page=None, pages=None, total=None):
    """A whole list, or one page a service already cut, in the one list shape."""
    items = list(items)
    if pages is None:  # the whole list: cut it here
        per_page, total = per_page or 20, len(items)
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        items = items[(page - 1) * per_page:page * per_page]
    return {"items": items, "page": page, "per_page": per_page, "pages": pages, "total": total}

