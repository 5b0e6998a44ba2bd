"""Session fixtures: a real mongod replica set and redis-server in a temp dir, the app, a real RQ worker."""
import contextvars
import os
import shutil
import threading
from types import SimpleNamespace

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from localstack import databases

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
pytest_plugins = ["tests.sale_fixtures"]


@pytest.fixture(scope="session")
def services(tmp_path_factory):
    """Real services for the whole run; their URLs go into the environment so workers' apps find them."""
    base = tmp_path_factory.mktemp("stack")
    # The TTL monitor passes every second (60 s by default): a test of what expires waits seconds, not a minute.
    mongo = databases.start_mongo(base, parameters={"ttlMonitorSleepSecs": 1})
    redis = databases.start_redis(base)
    os.environ.update(FLASK_CONFIG="testing", MONGODB_URI=mongo.url, MONGODB_DB="bilheteria_test",
                      REDIS_URL=redis.url, SECRET_KEY="test-secret-key")
    yield SimpleNamespace(mongo=mongo, redis=redis, base=base)
    redis.stop()
    mongo.stop()


class IsolatedClient(FlaskClient):
    """Each request runs in fresh context variables, so a context the test holds open (`ctx`) never lends its
    flask.g — and the user signed in there — to the request."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(services):
    from webapp import create_app
    from webapp.cli import ensure_indexes

    # The test client posts without CSRF tokens; `secure_app` (browser tests, CSRF tests) keeps them on.
    app = create_app({"WTF_CSRF_ENABLED": False})
    app.test_client_class = IsolatedClient
    with app.app_context():
        ensure_indexes()
    return app


@pytest.fixture(scope="session")
def secure_app(app):
    """The app exactly as configured for real use: CSRF on."""
    from webapp import create_app

    secure = create_app()
    secure.test_client_class = IsolatedClient
    return secure


@pytest.fixture(autouse=True)
def _fresh_data(request, app):
    """Every test starts from empty collections (indexes kept) and an empty Redis."""
    from webapp import db
    from webapp.models import ALL_DOCUMENTS

    db.connect(app)
    for document in ALL_DOCUMENTS:
        document._get_collection().delete_many({})
    Redis.from_url(app.config["REDIS_URL"]).flushdb()
    yield


@pytest.fixture(autouse=True)
def _push_request_context():
    """Replaces pytest-flask's: one context held across a test would share flask.g (and the signed-in user)
    between every request the test makes. Tests that call services use the `ctx` fixture instead."""
    yield


@pytest.fixture
def client(app):
    """Replaces pytest-flask's, which keeps each request's context pushed (and so flask.g shared with the
    next request of any other client). Make more clients with app.test_client(), never in a `with` block."""
    return app.test_client()


@pytest.fixture
def ctx(app):
    """An app context for calling services directly."""
    with app.test_request_context():
        yield


@pytest.fixture
def redis_conn(app):
    return Redis.from_url(app.config["REDIS_URL"])


@pytest.fixture
def run_jobs(app, redis_conn):
    """Run every queued job in a real RQ worker (burst mode); returns how many ran."""

    def run():
        queue = Queue(app.config["RQ_QUEUE"], connection=redis_conn)
        before = queue.count
        SimpleWorker([queue], connection=redis_conn).work(burst=True)
        return before

    return run


@pytest.fixture
def make_user(app):
    """Create a staff account: make_user("seller") -> User (password 'secret-pass')."""
    from webapp.services.users import create_user

    counter = iter(range(1, 10_000))

    def make(*roles, username=None, password="secret-pass", name=None, **extra):
        roles = list(roles) or ["seller"]
        with app.test_request_context():
            return create_user(None, username=username or f"{roles[0]}{next(counter)}",
                               name=name or f"{roles[0].title()} Test", password=password, roles=roles, **extra)

    return make


def login_as(client, user, password="secret-pass"):
    """Sign in through the real login form."""
    response = client.post("/login", data={"username": user.username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def login(client):
    return lambda user, password="secret-pass": login_as(client, user, password)


@pytest.fixture
def logged_in(client, make_user, login):
    """A client signed in with the given roles: logged_in("manager") -> user."""

    def sign_in(*roles, **extra):
        user = make_user(*roles, **extra)
        login(user)
        return user

    return sign_in


# --- browser tests --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def live_server(secure_app):
    """The app served on a free loopback port by a threaded server in this process."""
    server = make_server("127.0.0.1", 0, secure_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()


def _no_chromium_message():
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return None
    return f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"


def pytest_terminal_summary(terminalreporter):
    """A run that skipped the browser tests says so in its last lines, not only among the skip reasons."""
    message = _no_chromium_message()
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if message and message in str(r.longrepr)]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} BROWSER TEST(S) SKIPPED: {message}", yellow=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    message = _no_chromium_message()
    if message:
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must never skip them
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="pt-BR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in_page(page, username, password="secret-pass"):
    """Sign in through the real login page of a browser test (pt-BR labels)."""
    page.goto("/login")
    page.get_by_label("Usuário").fill(username)
    page.get_by_label("Senha").fill(password)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url("**/")


COUNTER_VIEWPORT = {"width": 1366, "height": 768}  # the box office's screens


def counter_page(browser, base_url, username, locale="pt-BR"):
    """(context, page): a seller's browser at the counter's screen size, signed in through the login page by keyboard,
    on /sell; the console's errors are collected in page.errors."""
    context = browser.new_context(base_url=base_url, locale=locale, viewport=COUNTER_VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill("secret-pass")
    with page.expect_navigation():
        page.locator("#password").press("Enter")
    page.goto("/sell")
    page.wait_for_load_state()  # the shortcuts listen once the deferred scripts have run
    return context, page


def open_shift_page(page, opening="100,00"):
    """Open the signed-in seller's cash shift on the POS, as a seller would; the POS shortcuts then listen."""
    page.goto("/sell")
    page.get_by_label("Fundo de troco inicial").fill(opening)
    page.get_by_role("button", name="Abrir turno").click()
    page.get_by_text("Turno aberto desde").wait_for()
    page.wait_for_load_state()  # the shortcuts listen once the deferred scripts have run

