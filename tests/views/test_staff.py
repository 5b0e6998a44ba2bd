"""Admins manage staff accounts; every change is audited."""
from webapp.models import AuditEntry, User


def test_admin_creates_an_account_that_can_sign_in(app, client, logged_in):
    logged_in("admin")
    response = client.post("/admin/staff/new", data={"username": "Maria.S", "name": "Maria Silva",
                                                     "roles": ["seller", "door"], "locale": "pt_BR",
                                                     "comp_allowance": "2", "password": "vitrine-azul-31"})
    assert response.status_code == 302
    maria = User.objects.get(username="maria.s")
    assert maria.roles == ["seller", "door"] and maria.comp_allowance == 2
    assert maria.password_hash.startswith("$argon2id$")
    assert AuditEntry.objects(action="user.create", target_id=str(maria.pk)).count() == 1
    other = app.test_client()
    assert other.post("/login", data={"username": "maria.s", "password": "vitrine-azul-31"}).status_code == 302


def test_bad_account_input_is_shown_next_to_the_field_and_nothing_saved(client, logged_in):
    logged_in("admin")
    before = User.objects.count()
    response = client.post("/admin/staff/new", data={"username": "bad name!", "name": "", "roles": ["wizard"],
                                                     "password": "short"},
                           headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="staff-form"' in body and "<html" not in body  # the fragment alone for HTMX
    assert "Use letras, dígitos" in body and "obrigatório" in body
    assert User.objects.count() == before


def test_duplicate_username_is_refused(client, logged_in, make_user):
    logged_in("admin")
    make_user("seller", username="joao")
    response = client.post("/admin/staff/new", data={"username": "joao", "name": "João 2", "roles": ["seller"],
                                                     "locale": "pt_BR", "password": "guiche-norte-8"})
    assert response.status_code == 400 and "já está em uso" in response.get_data(as_text=True)


def test_admin_changes_roles_and_it_is_audited(client, logged_in, make_user):
    logged_in("admin")
    seller = make_user("seller")
    response = client.post(f"/admin/staff/{seller.pk}", data={"name": "Promoted", "roles": ["manager"],
                                                               "locale": "en", "comp_allowance": "0"})
    assert response.status_code == 302
    seller.reload()
    assert seller.roles == ["manager"] and seller.locale == "en"
    entry = AuditEntry.objects.get(action="user.update", target_id=str(seller.pk))
    assert entry.before["roles"] == ["seller"] and entry.after["roles"] == ["manager"]


def test_admin_resets_a_password(app, client, logged_in, make_user):
    logged_in("admin")
    seller = make_user("seller")
    assert client.post(f"/admin/staff/{seller.pk}/password", data={"password": "reset-pass-9"}).status_code == 302
    other = app.test_client()
    assert other.post("/login", data={"username": seller.username, "password": "reset-pass-9"}).status_code == 302


def test_admin_cannot_deactivate_themself(client, logged_in):
    admin = logged_in("admin")
    response = client.post(f"/admin/staff/{admin.pk}/active", data={"active": "0"})
    assert response.status_code == 400 and User.objects.get(pk=admin.pk).active


def test_unknown_account_is_a_404(client, logged_in):
    logged_in("admin")
    assert client.get("/admin/staff/000000000000000000000000").status_code == 404
    assert client.get("/admin/staff/not-an-id").status_code == 404


def test_the_list_offers_no_deactivate_on_the_admins_own_row(client, logged_in, make_user):
    admin = logged_in("admin")
    other = make_user("seller", username="carla")
    page = client.get("/admin/staff/").get_data(as_text=True)
    assert f"/admin/staff/{other.pk}/active" in page  # another account can be deactivated
    assert f"/admin/staff/{admin.pk}/active" not in page  # one's own could only be refused after a confirmation
