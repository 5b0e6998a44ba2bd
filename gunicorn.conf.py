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
