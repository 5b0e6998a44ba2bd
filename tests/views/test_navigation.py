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
