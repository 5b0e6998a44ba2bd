"""Health check with services up and down; language switching; formatting per locale."""
from localstack import databases
from webapp import create_app
from webapp.i18n import money, parse_money


def test_healthz_up_tells_anonymous_callers_only_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}  # no hosts, no replica set


def test_healthz_details_are_for_admins_only(client, logged_in):
    logged_in("manager", "seller")
    assert client.get("/healthz").get_json() == {"status": "ok"}
    client.post("/logout")
    logged_in("admin")
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["mongo"]["ok"] and body["redis"]["ok"]
    assert body["mongo"]["replica_set"] == "rs0" and body["mongo"]["primary"].startswith("127.0.0.1:")


def test_an_admin_sees_which_part_is_down(services, make_user, tmp_path):
    redis = databases.start_redis(tmp_path)
    redis.stop()
    down = create_app({"REDIS_URL": redis.url, "WTF_CSRF_ENABLED": False})
    admin = make_user("admin")
    client = down.test_client()
    anonymous = client.get("/healthz")
    assert anonymous.status_code == 503 and anonymous.get_json() == {"status": "degraded"}
    client.post("/login", data={"username": admin.username, "password": "secret-pass"})
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 503 and body["redis"] == {"ok": False, "error": "ConnectionError"}
    assert body["mongo"]["ok"] and body["mongo"]["replica_set"] == "rs0"


def test_healthz_reports_a_stopped_redis_and_mongo(services, tmp_path):
    redis = databases.start_redis(tmp_path)
    mongo = databases.start_mongo(tmp_path)
    redis.stop()
    mongo.stop()
    down = create_app({"REDIS_URL": redis.url, "MONGODB_URI": mongo.url, "MONGODB_TIMEOUT_MS": 500})
    response = down.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "degraded"}


def test_database_outage_shows_a_503_page_saying_nothing_was_saved(services, tmp_path):
    mongo = databases.start_mongo(tmp_path)
    mongo.stop()
    down = create_app({"MONGODB_URI": mongo.url, "MONGODB_TIMEOUT_MS": 500, "WTF_CSRF_ENABLED": False})
    response = down.test_client().post("/login", data={"username": "someone", "password": "whatever1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and "Nada foi salvo" in body and "Traceback" not in body


def test_language_switch_is_kept_on_the_account(client, logged_in):
    user = logged_in("seller")
    assert "Sair" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Sign out" in client.get("/").get_data(as_text=True)
    user.reload()
    assert user.locale == "en"


def test_anonymous_language_choice_and_browser_preference(client):
    assert "Entrar" in client.get("/login").get_data(as_text=True)
    assert "Sign in" in client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_money_formats_and_parses_per_locale(app):
    with app.test_request_context(headers={"Accept-Language": "pt-BR"}):
        assert money(123450) == "R$\xa01.234,50"
        assert parse_money("1.234,50") == 123450 and parse_money("R$ 12,5") == 1250
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert money(123450) == "R$1,234.50"
        assert parse_money("1,234.50") == 123450
    with app.test_request_context():
        for bad in ["", "abc", "1,2,3", "1e5", "12,345", "9" * 30]:
            try:
                parse_money(bad)
            except ValueError:
                continue
            raise AssertionError(f"{bad!r} should not parse")


def test_livez_answers_without_login(client):
    assert client.get("/livez").get_json() == {"status": "ok"}
