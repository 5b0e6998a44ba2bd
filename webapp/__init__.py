"""Bilheteria: the box office of the casino's show rooms."""
from flask import Flask, abort, request
from jinja2 import pass_context

from . import config as config_module
from . import db
from .extensions import CookieSessions, babel, csrf, htmx, limiter, login_manager


def create_app(config=None):
    """Build the app; `config` is a config object or a dict of overrides on FLASK_CONFIG's settings."""
    app = Flask(__name__)
    if config is None or isinstance(config, dict):
        app.config.from_object(config_module.load())
        app.config.update(config or {})
    else:
        app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set")

    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    db.connect(app)
    db.bounded_requests(app)
    _init_extensions(app)
    _register_blueprints(app)

    from .errors import register_error_handlers
    from .cli import register_cli
    from .headers import init_headers

    register_error_handlers(app)
    register_cli(app)
    init_headers(app)
    _register_template_helpers(app)
    with app.app_context():
        from .services.passwords import dummy_hash

        dummy_hash()  # made now, so no sign-in pays for it (every sign-in costs one argon2 run, no more)
    return app


def _init_extensions(app):
    from .i18n import select_locale
    from .inputs import Request
    from .security import require_login_everywhere

    app.session_interface = CookieSessions()
    csrf.init_app(app)
    htmx.init_app(app)
    app.request_class = Request  # after htmx's: request.htmx, and JSON bodies checked once (inputs.py)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.refresh_view = "auth.reauthenticate"
    login_manager.session_protection = "basic"
    app.before_request(require_login_everywhere)

    @login_manager.unauthorized_handler
    def unauthorized():
        from .views.auth import unauthorized_response

        return unauthorized_response()

    @app.before_request
    def _connect_after_fork():
        db.connect(app)  # a no-op unless this process was forked after the app was made

    @app.before_request
    def _pages_take_forms():
        # Flask-WTF reads a JSON body as the form and hands its numbers, lists and nulls to fields that
        # expect text. The pages only ever post forms (the JSON API is under /api/), so refuse JSON there.
        if request.is_json and request.method in ("POST", "PUT", "PATCH", "DELETE") \
                and not request.path.startswith("/api/"):
            abort(415)


def _register_blueprints(app):
    from .views import BLUEPRINTS
    from .views.api import bp as api_bp
    from .views.api import init_api

    for blueprint in BLUEPRINTS:
        if blueprint is api_bp:
            init_api(app)  # flask-smorest registers it and documents its operations
        else:
            app.register_blueprint(blueprint)
    # Browsers and bookmarks ask for /favicon.ico whatever the page links: the same icon, served as a static
    # file (public, like every asset).
    app.add_url_rule("/favicon.ico", endpoint="static", defaults={"filename": "favicon.svg"})


def _in_the_users_language(func):
    """A filter whose text depends on the user's language, marked pass_context: Jinja folds a plain filter applied
    to a constant (`20000|money_text`) when it compiles the template, and the cached template then said the first
    visitor's "200,00" to every English user after."""

    @pass_context
    def in_language(_context, value, *args, **kwargs):
        return func(value, *args, **kwargs)

    return in_language


def _register_template_helpers(app):
    from flask_babel import get_locale

    from . import labels
    from .i18n import datetime_local, money, money_text
    from .navigation import nav_items

    for name, func in (("money", money), ("money_text", money_text), ("dt", datetime_local),
                       ("reason", labels.reason), ("job_error", labels.error)):
        app.jinja_env.filters[name] = _in_the_users_language(func)
    app.context_processor(labels.template_globals)  # statuses, methods, roles: named the same on every page
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def _globals():
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"], "nav_items": nav_items}
