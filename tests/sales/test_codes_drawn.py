"""Ticket codes and order numbers drawn from one random number: every character of the alphabet, at every place."""
import re
from collections import Counter

from webapp.services import ticket_codes
from webapp.services.sales import _NUMBER_ALPHABET


def test_ticket_codes_use_every_letter_of_the_alphabet_at_every_place_and_never_repeat():
    codes = [ticket_codes.new_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(f"[{ticket_codes.ALPHABET}]{{26}}", code) for code in codes)
    for place in range(ticket_codes.LENGTH):  # 130 bits: no place is stuck or limited to part of the alphabet
        seen = Counter(code[place] for code in codes)
        assert set(seen) == set(ticket_codes.ALPHABET), place
        assert max(seen.values()) < 130, (place, seen.most_common(3))  # ~62 each when uniform


def test_order_numbers_draw_their_six_characters_from_the_unmistakable_alphabet(app):
    from webapp.services.sales import new_order_number

    with app.test_request_context():
        numbers = [new_order_number() for _ in range(2000)]
    assert all(re.fullmatch(rf"\d{{6}}-[{_NUMBER_ALPHABET}]{{6}}", number) for number in numbers)
    for place in range(7, 13):
        assert set(number[place] for number in numbers) == set(_NUMBER_ALPHABET), place
