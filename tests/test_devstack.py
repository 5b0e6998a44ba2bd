"""`make run` and `make reset-data`: the banner waits for a real answer; the data resets, running or not."""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pymongo
import pytest
from redis import Redis

from localstack import databases, processes, supervisor
from webapp.cli import DEMO_USERS
from webapp.models import Order, User


class _Alive:
    """Stands in for the gunicorn process: still running."""

    def poll(self):
        return None


def test_the_banner_waits_until_the_app_answers_not_until_the_port_opens():
    listener = socket.create_server(("127.0.0.1", 0))  # the port is open at once, as gunicorn's is
    port = listener.getsockname()[1]

    def answer_later():
        time.sleep(1.0)  # the workers are still loading the app
        conn, _ = listener.accept()
        conn.recv(1024)
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
        conn.close()

    thread = threading.Thread(target=answer_later, daemon=True)
    thread.start()
    started = time.monotonic()
    supervisor.wait_until_answering(port, _Alive(), timeout=10)
    assert time.monotonic() - started >= 0.9
    thread.join()
    listener.close()


def test_the_banner_waits_for_the_databases_too():
    answers = iter([503, 503, 200])
    seen = []

    class Health(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(next(answers))
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    supervisor.wait_until_answering(server.server_port, _Alive(), timeout=10)
    server.shutdown()
    assert seen == ["/healthz"] * 3


def test_a_web_server_that_dies_stops_the_start_up_with_a_message():
    dead = SimpleNamespace(poll=lambda: 3)
    with pytest.raises(processes.StackError, match="did not answer"):
        supervisor.wait_until_answering(processes.free_port(), dead, timeout=5)


def test_flask_reset_data_wipes_everything_and_seeds_the_demo(app, ctx, sell, seller, redis_conn):
    sell(seller, {0: 2})
    redis_conn.set("rq:leftover", "1")
    result = app.test_cli_runner().invoke(args=["reset-data", "--yes"])
    assert result.exit_code == 0, result.output
    assert Order.objects.count() == 0 and not User.objects(username=seller.username).first()
    assert sorted(u.username for u in User.objects) == sorted(u[0] for u in DEMO_USERS)
    assert "mesa-de-som-42" in result.output and redis_conn.get("rq:leftover") is None
    indexes = Order._get_collection().index_information()
    assert any(spec.get("unique") and spec["key"] == [("number", 1)] for spec in indexes.values())


def test_flask_reset_data_asks_first_and_a_no_changes_nothing(app, ctx, sell, seller):
    sell(seller, {0: 1})
    result = app.test_cli_runner().invoke(args=["reset-data"], input="n\n")
    assert result.exit_code != 0 and "nothing was changed" in result.output
    assert Order.objects.count() == 1


def test_flask_reset_data_refuses_in_production(app, make_user, monkeypatch):
    from webapp import config, create_app

    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    production = create_app(config.ProductionConfig())  # no other app context open: the command gets this one
    staff = make_user("seller")
    result = production.test_cli_runner().invoke(args=["reset-data", "--yes"])
    assert result.exit_code != 0 and "never in production" in result.output
    assert User.objects(username=staff.username).count() == 1


def test_make_reset_data_resets_a_running_stack_and_leaves_it_running(services, tmp_path, monkeypatch):
    monkeypatch.setenv("MONGODB_DB", "bilheteria_reset")
    client = pymongo.MongoClient(services.mongo.url)
    client.bilheteria_reset.orders.insert_one({"number": "OLD-1"})
    Redis.from_url(services.redis.url).set("rq:leftover", "1")
    (tmp_path / "ports.json").write_text(json.dumps({"MONGO_PORT": services.mongo.port,
                                                     "REDIS_PORT": services.redis.port}))
    assert supervisor.reset_data(tmp_path) == 0
    assert client.bilheteria_reset.orders.count_documents({}) == 0
    assert {u["username"] for u in client.bilheteria_reset.users.find()} == {u[0] for u in DEMO_USERS}
    assert Redis.from_url(services.redis.url).get("rq:leftover") is None
    assert services.mongo.proc.poll() is None and services.redis.proc.poll() is None  # nothing was stopped
    client.drop_database("bilheteria_reset")
    client.close()


def test_make_reset_data_with_nothing_running_starts_the_databases_and_stops_them(tmp_path, capfd, services):
    assert supervisor.reset_data(tmp_path) == 0
    out = capfd.readouterr().out
    assert "data wiped" in out and "mesa-de-som-42" in out
    assert (tmp_path / "mongo").is_dir() and (tmp_path / "mongod.log").exists()
    assert [s for s in databases._live if s.datadir == tmp_path.resolve()] == []  # both stopped again
