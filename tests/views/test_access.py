"""Every route needs a login (but the few public ones), and each view admits only its roles."""
import re

import pytest

from webapp.security import PUBLIC_ENDPOINTS


def _concrete_url(rule):
    """A URL for the rule with dummy values for its arguments."""
    def value(match):
        converter, name = match.group(1) or "", match.group(2)
        if converter.startswith("any("):
            return converter[4:].split(",")[0].strip()
        return "1" if converter.startswith("int") else "0" * 24 if "id" in name else "x"

    return re.sub(r"<(?:([^:>]+):)?([^>]+)>", value, rule.rule)


def test_every_route_but_the_public_ones_requires_login(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_concrete_url(rule), method=method)
            if rule.rule.startswith("/api/"):
                assert response.status_code == 401, (rule.rule, method, response.status_code)
            else:
                assert response.status_code == 302, (rule.rule, method, response.status_code)
                assert response.headers["Location"].startswith("/login"), rule.rule
            checked += 1
    assert checked >= 8


def test_every_view_declares_its_roles(app):
    missing = [endpoint for endpoint, view in app.view_functions.items()
               if endpoint not in PUBLIC_ENDPOINTS and not getattr(view, "allowed_roles", None)
               and endpoint not in ("auth.logout", "auth.reauthenticate")]
    assert missing == []


def test_htmx_request_without_login_is_told_where_to_go(client):
    response = client.get("/admin/staff/", headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/login")


@pytest.mark.parametrize("role", ["seller", "door", "manager"])
def test_staff_admin_is_refused_to_other_roles(client, logged_in, role):
    logged_in(role)
    response = client.get("/admin/staff/")
    assert response.status_code == 403
    assert "Seu perfil não permite isto. Peça a um administrador" in response.get_data(as_text=True)  # not "a manager"


def test_htmx_refusal_goes_to_the_message_area(client, logged_in):
    logged_in("seller")
    response = client.post("/admin/staff/new", headers={"HX-Request": "true"})
    assert response.status_code == 403 and response.headers["HX-Retarget"] == "#flashes"


def test_unknown_page_is_a_404_inside_the_layout(client, logged_in):
    logged_in("seller")
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Bilheteria" in response.get_data(as_text=True)


def test_wrong_method_is_a_405_page(client, logged_in):
    logged_in("seller")
    assert client.get("/logout").status_code == 405


def test_oversized_request_is_a_413(app, client, logged_in):
    logged_in("admin")
    response = client.post("/admin/staff/new", data={"name": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)})
    assert response.status_code == 413
