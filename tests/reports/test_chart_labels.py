"""The dashboard's charts label their axes as the reader's language writes hours and days: "02/11" read in
English is the 11th of February, and "20h" is not how English writes 8 PM."""
import re
from datetime import datetime, timezone

from flask_babel import force_locale

from webapp.services.dashboard import dashboard

NOW = datetime(2026, 11, 2, 23, 30, tzinfo=timezone.utc)  # 20:30 on 2 November in São Paulo


def _labels(app, locale):
    with app.test_request_context(), force_locale(locale):
        data = dashboard(NOW)
    return [h["label"] for h in data["hours"]], [d["label"] for d in data["days"]]


def test_english_axes_are_written_the_english_way(app):
    hours, days = _labels(app, "en")
    assert hours[-1] == "8 PM" and hours[-13] == "8 AM"
    assert days[-1] == "11/2" and days[0] == "10/4"


def test_portuguese_axes_keep_the_brazilian_way(app):
    hours, days = _labels(app, "pt_BR")
    assert hours[-1] == "20h" and hours[-13] == "08h"
    assert days[-1] == "02/11" and days[0] == "04/10"


def test_the_time_of_the_last_update_follows_the_language(logged_in, client):
    logged_in("manager", locale="en")
    page = client.get("/").get_data(as_text=True)
    assert re.search(r"updated at \d{1,2}:\d\d:\d\d\s[AP]M<", page)  # not the 24-hour 19:17:01
