"""The app as deployed (gunicorn, the same command as `make run` and the image) does not name its server."""
import http.client
import socket
import sys
import time
from pathlib import Path

from localstack import processes

ROOT = Path(__file__).resolve().parents[2]


def _wait_listening(port, proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not listen (exit code {proc.poll()})")


def _headers(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheaders()
    finally:
        conn.close()


def test_gunicorn_sends_no_server_banner(services):
    port = processes.free_port()
    proc = processes.spawn([sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                       cwd=ROOT, stdout=sys.stderr, stderr=sys.stderr)
    try:
        _wait_listening(port, proc)
        for path in ("/livez", "/login", "/static/css/app.css", "/no-such-page"):
            status, headers = _headers(port, path)
            names = [name.lower() for name, _ in headers]
            assert "server" not in names, (path, headers)
            assert status in (200, 302, 404), (path, status)
            assert "content-security-policy" in names, path  # the app's own headers still arrive
    finally:
        processes.stop_process(proc, 10)
