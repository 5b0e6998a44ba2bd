"""`flask init-db` brings data written by earlier versions up to the models: a field a model no longer declares
would make MongoEngine refuse the whole document."""
from webapp import db
from webapp.models import Venue


def test_init_db_removes_fields_earlier_versions_stored(app, ctx, client, logged_in):
    # As the first rounds stored a venue: with the seat_map placeholder that seat maps replaced.
    db.database().venues.insert_one({"name": "Sala Antiga", "capacity": 120, "kind": "general", "seat_map": [],
                                     "timezone": "America/Sao_Paulo", "active": True})
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "seat_map" not in db.database().venues.find_one({"name": "Sala Antiga"})
    assert Venue.objects.get(name="Sala Antiga").capacity == 120
    logged_in("admin")
    page = client.get("/venues")
    assert page.status_code == 200 and "Sala Antiga" in page.get_data(as_text=True)
