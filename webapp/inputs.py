"""Incoming JSON checked in one place for every request: how deeply it nests and that its text is real text.

Form fields, query strings and paths cannot carry broken text: Werkzeug decodes them as UTF-8 with invalid
bytes replaced by U+FFFD. JSON can: a `\\ud800` escape (or UTF-16 sent with a lone half) decodes to a lone
surrogate, which Python keeps but pymongo, e-mail and every encoder refuse later, deep in a transaction.
"""
import re

from flask_babel import gettext as _
from htmx_flask.requests import HtmxAwareRequest

from .services import ServiceError

MAX_JSON_DEPTH = 20  # the API's deepest body (a sale's items → documents) is 3 levels
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadInput(ServiceError):
    """What was sent cannot be read as text or data (400, with a message)."""


def check_text(text):
    """`text` unchanged, or BadInput when it holds a lone UTF-16 surrogate (not encodable as UTF-8)."""
    if _SURROGATE.search(text):
        raise BadInput(_("The text sent contains invalid characters (a broken UTF-16 surrogate)."))
    return text


def _too_deep():
    return BadInput(_("The JSON is nested too deeply (at most %(n)d levels).", n=MAX_JSON_DEPTH))


def check_json(value):
    """BadInput unless `value` nests at most MAX_JSON_DEPTH levels and all its keys and strings are real text."""
    pending = [(value, 1)]  # a loop, not recursion: the depth is what is being checked
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise _too_deep()
            if isinstance(item, dict):
                pending.extend((key, depth) for key in item)
                item = item.values()
            pending.extend((child, depth + 1) for child in item)
    return value


class Request(HtmxAwareRequest):
    """Every JSON body read by a view is parsed once, with its depth and text checked (400 with a message)."""

    def get_json(self, force=False, silent=False, cache=True):
        try:
            value = super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:  # the parser gives up on JSON nested ~1,000 deep
            raise _too_deep() from None
        check_json(value)
        return value
