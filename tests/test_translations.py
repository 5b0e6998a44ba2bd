"""pt-BR is the first language: every visible string in the code and templates has a translation."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
METHODS = [("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def test_every_message_has_a_pt_br_translation():
    with open(ROOT / "webapp/translations/pt_BR/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog if m.id}
    missing = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map=METHODS, keywords={**KEYWORDS}, options_map={"webapp/templates/**.html": {}}):
        key = message if isinstance(message, str) else message[0]
        value = translated.get(key)
        if not value or (not isinstance(value, str) and not all(value)):
            missing.add(key)
    assert sorted(missing) == []
