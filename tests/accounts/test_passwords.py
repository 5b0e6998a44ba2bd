"""New passwords: 8–128 characters, not only spaces, not one of the commonly used ones, not containing the
account's username or name — on every way of setting one (staff page, own change, admin reset, CLI)."""
import pytest

from tests.conftest import login_as
from webapp.models import User
from webapp.services import ServiceError
from webapp.services.passwords import check_new_password, common_passwords

STAFF = {"username": "carla.souza", "name": "Carla Souza", "roles": ["seller"], "locale": "pt_BR"}


@pytest.mark.parametrize("password, message", [
    (" " * 8, "só espaços"),
    ("\t" * 4 + " " * 6, "só espaços"),
    ("iloveyou", "das mais usadas"),
    ("Password1", "das mais usadas"),  # case does not make a common password rare
    ("qwertyuiop", "das mais usadas"),
    ("carla.souza!", "usuário nem o nome"),
    ("meu-SOUZA-2024", "usuário nem o nome"),
    ("carla-2024-ok", "usuário nem o nome"),
    ("short7!", "8"),
    ("a" * 129, "128"),
])
def test_the_staff_page_refuses_a_weak_password_and_saves_nothing(client, logged_in, password, message):
    logged_in("admin")
    response = client.post("/admin/staff/new", data={**STAFF, "password": password})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert not User.objects(username="carla.souza").first()


@pytest.mark.parametrize("password", ["fila-do-teatro-9", "x" * 7 + " ", "a" * 128, "  espaços  dentro  "])
def test_a_good_password_is_taken(client, logged_in, password):
    logged_in("admin")
    assert client.post("/admin/staff/new", data={**STAFF, "password": password}).status_code == 302
    assert User.objects(username="carla.souza").count() == 1


def test_the_list_covers_the_ten_thousand_most_common_passwords(ctx):
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    assert len(FREQUENCY_LISTS["passwords"]) >= 10_000  # the list, most used first
    top = FREQUENCY_LISTS["passwords"][:10_000]
    assert common_passwords() >= {p for p in top if len(p) >= 8}
    refused = 0
    for password in top:
        if len(password) < 8:
            continue  # refused by length already
        with pytest.raises(ServiceError):
            check_new_password(password, "someone", "Some One")
        refused += 1
    assert refused > 2_000


def test_own_change_and_admin_reset_follow_the_same_rules(app, client, make_user):
    user = make_user("seller", username="bruno", name="Bruno Lima")
    login_as(client, user)
    for weak in ["sunshine", "bruno-bruno", "lima-1234-x", " " * 10]:
        response = client.post("/account/password", data={"current_password": "secret-pass", "new_password": weak})
        assert response.status_code == 400, weak
    admin_client = app.test_client()
    login_as(admin_client, make_user("admin"))
    response = admin_client.post(f"/admin/staff/{user.pk}/password", data={"password": "football"})
    assert response.status_code == 400 and "das mais usadas" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200  # nothing changed: the session still works
    assert login_as(app.test_client(), user)


def test_the_cli_follows_the_rules(app):
    result = app.test_cli_runner().invoke(args=["create-user", "dora", "--name", "Dora Reis", "--role", "door",
                                                "--password", "        "])
    assert result.exit_code != 0 and not User.objects(username="dora").first()
