"""Ticket codes people can type: 26 characters of Crockford's base32 (130 random bits), printed in groups.

Typed by hand at the door, a code is forgiven its case, its spaces and dashes, and the letters read as
digits (O → 0, I/L → 1). Codes issued before this format (URL-safe base64, case-sensitive) still match
when typed exactly as printed.
"""
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: nothing to misread over a counter
LENGTH = 26  # 26 × 5 = 130 random bits: unguessable (the design asks for at least 128)
GROUP = 4
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code():
    """A fresh random ticket code."""
    return random_text(ALPHABET, LENGTH)


def random_text(alphabet, length):
    """`length` characters of a 32-letter `alphabet`, 5 random bits each, from one draw of the system's randomness
    (a `secrets.choice` per character was one urandom call each: 26 per ticket, 0.13 ms of a sale's CPU)."""
    bits = secrets.randbits(5 * length)
    return "".join(alphabet[(bits >> shift) & 31] for shift in range(0, 5 * length, 5))


def grouped(code):
    """The code as printed: groups of four (older codes are shown as they are)."""
    if not code or not _CODE.match(code):
        return code
    return " ".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def candidates(text):
    """The stored codes a scanned or typed text may stand for: itself without whitespace, and its typed form."""
    exact = re.sub(r"\s+", "", text or "")
    typed = re.sub(r"[\s-]+", "", exact).upper().translate(_MISREAD)
    return [exact] if typed == exact or not _CODE.match(typed) else [exact, typed]
