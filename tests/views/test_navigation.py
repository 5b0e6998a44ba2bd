"""The top bar lights exactly the entry of the page you are on (not every entry of the same area)."""
import re

import pytest


@pytest.mark.parametrize("path, label", [("/sell", "Vender"), ("/orders", "Pedidos"), ("/", "Início")])
def test_one_active_entry(client, logged_in, path, label):
    logged_in("seller")
    html = client.get(path).get_data(as_text=True)
    assert re.findall(r'aria-current="page">([^<]+)<', html) == [label]


def test_account_menu_keeps_language_password_and_sign_out(client, logged_in):
    logged_in("seller")
    html = client.get("/").get_data(as_text=True)
    menu = html[html.index('<details class="usermenu"'):html.index("</details>")]
    assert 'id="locale-select"' in menu and "Senha" in menu and "Sair" in menu


def test_a_sellers_home_says_whether_the_drawer_is_open(client, logged_in, app):
    from webapp.services import shifts

    user = logged_in("seller")
    home = client.get("/").get_data(as_text=True)
    assert "Nenhum turno aberto" in home and "Abrir turno" in home and "Turno aberto desde" not in home
    with app.test_request_context():
        shifts.open_shift(user, 100_00)
    home = client.get("/").get_data(as_text=True)
    assert "Turno aberto desde" in home and "Fechar turno" in home and "Nenhum turno aberto" not in home


def test_door_staff_home_has_no_drawer(client, logged_in):
    logged_in("door")
    assert "turno" not in client.get("/").get_data(as_text=True).lower()
