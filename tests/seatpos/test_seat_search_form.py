"""The order search with its seat filter: each label sits above its own box (a field each), not run together."""
import re

from tests.seatpos.test_seat_surfaces import seated  # noqa: F401 (fixture)


def test_the_search_and_the_show_of_the_seat_are_one_field_each(client, logged_in, seated):  # noqa: F811
    logged_in("manager")
    page = client.get("/orders?q=C5").get_data(as_text=True)
    form = re.search(r'<form class="card search[^"]*"(.*?)</form>', page, re.S).group(1)
    fields = re.findall(r'<div class="field[^"]*">(.*?)</div>', form, re.S)
    assert any('<label for="q">' in f and 'id="q"' in f for f in fields), form
    assert any('<label for="show">' in f and '<select id="show"' in f for f in fields), form
    assert "Ópera no Cassino" in page and "C5" in page
