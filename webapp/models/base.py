"""Helpers shared by the documents."""
import re
import unicodedata
from datetime import datetime, timezone


def utcnow():
    return datetime.now(timezone.utc)


def fold(text):
    """Text as searched: accents dropped, case folded ("João" and "JOAO" both give "joao")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_words(text):
    """The distinct folded words of a name, in order: what an indexed prefix search looks up."""
    return list(dict.fromkeys(re.findall(r"\w+", fold(text))))
