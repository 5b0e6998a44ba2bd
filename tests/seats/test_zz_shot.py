import random
from flask import render_template
from tests.conftest import sign_in_page
from webapp.models import Venue
from webapp.services import seat_svg, seatmaps
from webapp.services.demo import seed_catalog


def test_shots(page, make_user, secure_app, live_server):
    with secure_app.test_request_context():
        seed_catalog()
    make_user("admin", username="ana")
    sign_in_page(page, "ana")
    page.set_viewport_size({"width": 1400, "height": 1000})
    for name in ("Teatro Imperial", "Cabaré do Cassino"):
        v = Venue.objects.get(name=name)
        page.goto(f"/venues/{v.pk}/seatmap?seat=" + ("PLAC-V-13" if "Teatro" in name else "MESA-3-2"))
        page.screenshot(path=f"/tmp/x/builder-{name[:5]}.png", full_page=True)
    with secure_app.test_request_context():
        v = Venue.objects.get(name="Teatro Imperial")
        data = seatmaps.as_data(seatmaps.map_of(v))
        seats = seat_svg.map_seats(data)
        rnd = random.Random(1)
        for s in seats:
            s["status"] = rnd.choice(["free"] * 5 + ["held", "sold", "sold", "blocked"])
            if s["status"] == "held" and rnd.random() < 0.3:
                s["mine"] = True
        html = render_template("seats/_map.html", svg=seat_svg.draw(seats, data["zones"], data["stage"]))
    page.set_content(f'<html><head><link rel="stylesheet" href="{live_server.url}/static/css/app.css"><link rel="stylesheet" href="{live_server.url}/static/css/seats.css"></head><body>{html}</body></html>')
    page.wait_for_timeout(300)
    page.screenshot(path="/tmp/x/statuses.png", full_page=True)
    page.locator(".seatmap-legend").screenshot(path="/tmp/x/legend.png")
    page.locator(".seatmap-svg").screenshot(path="/tmp/x/zoom.png", clip={"x": 150, "y": 400, "width": 400, "height": 200}) if False else None
