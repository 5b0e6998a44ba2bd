"""Test plumbing that the rest of the suite relies on."""
from tests.conftest import login_as


def test_a_held_context_does_not_leak_the_user_between_clients(app, ctx, make_user):
    seller, admin = make_user("seller"), make_user("admin")
    a, b = app.test_client(), app.test_client()
    login_as(a, seller)
    login_as(b, admin)
    assert a.get("/admin/staff/").status_code == 403
    assert b.get("/admin/staff/").status_code == 200
