"""The seats report offers only shows with numbered seats (a general-admission show has nothing to report)."""
import re

from tests.seatpos.test_seat_surfaces import seated  # noqa: F401 (fixture)
from webapp.models import Event


def test_the_seats_report_lists_only_seated_shows_and_the_door_report_all(client, logged_in, seated):  # noqa: F811
    show, order, general = seated
    plain = Event.objects.get(pk=general.event_id)
    logged_in("manager")
    offered = re.findall(r'<option value="([0-9a-f]{24})"', client.get("/reports/seats").get_data(as_text=True))
    assert offered == [str(show.pk)]
    door = re.findall(r'<option value="([0-9a-f]{24})"', client.get("/reports/door").get_data(as_text=True))
    assert str(plain.pk) in door and str(show.pk) in door
