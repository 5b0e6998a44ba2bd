"""Classes of input that once reached a 500, for the robustness walk (tests/test_robustness.py) to send everywhere:
JSON nested ~1,000 deep, lone UTF-16 surrogates (escaped, as raw bytes, as UTF-16), invalid UTF-8 in forms, query
strings and paths, 24 characters that are not an id, and text with line breaks meant for a header."""
import json

NOT_AN_ID = "z" * 24
HEADER_BREAK = "Show\r\nBcc: intruso@example.com\n"
BROKEN_UTF8 = "%ED%A0%80%FF"  # a lone surrogate encoded as UTF-8, then a byte that is never UTF-8
LONE_SURROGATE = "a\ud800"


def nested(depth, leaf="1"):
    """JSON text of objects nested `depth` deep (as text: json.dumps itself gives up at ~1,000)."""
    return '{"a":' * depth + leaf + "}" * depth


def _spoil_strings(value, suffix):
    """`value` with `suffix` appended to every string value in it, however deep."""
    if isinstance(value, str):
        return value + suffix
    if isinstance(value, list):
        return [_spoil_strings(v, suffix) for v in value]
    if isinstance(value, dict):
        return {k: _spoil_strings(v, suffix) for k, v in value.items()}
    return value


def hostile_json_bodies(base):
    """Bodies for every API route that takes one: (kind, body) with kind "json" (an object) or "data" (raw)."""
    spoiled = _spoil_strings(base, "\ud800")
    raw = json.dumps(spoiled, ensure_ascii=False)
    return [
        ("data", nested(1000)),
        ("data", json.dumps(base)[:-1] + ', "customer": ' + nested(25, '"x"') + "}"),
        ("json", spoiled),
        ("json", dict(base, customer={"name": LONE_SURROGATE, "\udfff": "x"}, username=LONE_SURROGATE,
                      password=LONE_SURROGATE, title=LONE_SURROGATE)),
        ("data", raw.encode("utf-8", "surrogatepass")),
        ("data", raw.encode("utf-16", "surrogatepass")),
        ("json", _spoil_strings(base, HEADER_BREAK)),
    ]


def broken_form(names):
    """A urlencoded body (or query string) whose every field holds invalid UTF-8 after a plausible start."""
    return "&".join(f"{name}=x{BROKEN_UTF8}" for name in names)


def not_an_id_form(names):
    """Every field the 24 characters of an id that is not one (ObjectId() refuses it)."""
    return {name: NOT_AN_ID for name in names}
