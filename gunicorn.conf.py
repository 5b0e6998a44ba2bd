"""gunicorn settings. gunicorn reads ./gunicorn.conf.py by itself, so `gunicorn wsgi:app` run from the project
directory (make run, the image's WORKDIR) always gets them; the command line keeps workers and bind address."""
from gunicorn.http import wsgi as _http

# gunicorn writes `Server: gunicorn` before the app's own headers on every answer and has no setting to leave
# it out (benoitc/gunicorn#825); an app-set Server header would only be sent as a second one. Naming the server
# helps nobody but a scanner, so the worker's response drops that line and sends the rest unchanged.
_default_headers = _http.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_http.Response.default_headers = _default_headers_without_server

# Threads in each worker: a request waiting on the database (an election, a lock held by an orphaned transaction)
# holds one thread, not the whole worker, and the worker's heartbeat keeps beating meanwhile. With sync workers
# two such requests stopped every sale, and gunicorn's 30 s timeout then killed the workers mid-request.
worker_class = "gthread"
threads = 4
# The times agree: a request's MongoDB work ≤ MONGODB_OPERATION_TIMEOUT_MS (6 s), a transaction with
# its retries ≤ MONGODB_TRANSACTION_SECONDS (5 s), so a request ends well before `timeout` (a worker silent this
# long is killed and restarted) and a stop lets requests finish within `graceful_timeout`.
timeout = 30
graceful_timeout = 20
keepalive = 5
