"""Bad input anywhere gets a clear message and a 4xx, never a 500: every route of app.url_map, for every role,
with hostile URL values, garbage forms, query strings and JSON bodies (sampled, not a full cross product)."""
import inspect
import itertools
import logging
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from wtforms.fields.core import UnboundField

import webapp
from tests.conftest import login_as
from tests.factories import tiers_of
from tests.hostile_inputs import (BROKEN_UTF8, HEADER_BREAK, NOT_AN_ID, broken_form, hostile_json_bodies,
                                  not_an_id_form)
from tests.sale_fixtures import cash, sell_now
from webapp.forms import auth as auth_forms, catalog as catalog_forms, sales as sale_forms
from webapp.models import OutboxMessage, Ticket
from webapp.services import shifts

ROLES = ("admin", "manager", "seller", "door")
HOSTILE = ["0" * 24, "5f0000000000000000000001", "zzz", "x" * 10_000, "..", "%2E%2E%2F", "ção🎭", "-1", "%00",
           "1e309", "NaN", NOT_AN_ID, BROKEN_UTF8]
GARBAGE = ["", "abc", "-1", "1e309", "9" * 40, "NaN", "[]", "<script>alert(1)</script>", "0", " ", "1,2.3", "-0,01",
           "2024-02-30T25:61", "ção🎭", "%00\x00", NOT_AN_ID, HEADER_BREAK]
LONG = ["ü" * 5000, "x" * 20_000]  # one field per request: decoding many of them would make the walk slow
JSON_GARBAGE = [None, True, -1, 1e308, 9 * 10 ** 40, "", "abc", "x" * 10_000, [], [1, "a"], {"a": {"b": 1}},
                "2024-02-30T25:61", "NaN", 0.5, "a\ud800", HEADER_BREAK]
HEADERS = [{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Boosted": "true"}, {"Accept": "application/json"},
           {"HX-Request": "true", "HX-Target": "main", "HX-Current-URL": "http://localhost/x"}]
API_FIELDS = ("title", "description", "venue_id", "starts_at", "ends_at", "doors_at", "capacity", "max_per_order",
              "concession_cap_pct", "sales_start", "sales_end", "status", "name", "price_cents", "quota",
              "is_concession", "event_id", "items", "payments", "customer", "username", "password")


def form_field_names():
    """Every field the pages post: the WTForms classes' fields and every name="…" in the templates."""
    names = {"amount", "tendered", "quantity", "qty", "price", "quota", "starts_at"}
    for module in (auth_forms, catalog_forms):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            names |= {n for n, v in vars(cls).items() if isinstance(v, UnboundField)}
    names |= {"opening_float", "counted_cash"}
    names |= set(re.findall(r'form\.get\("([a-z_]+)"', inspect.getsource(sale_forms)))
    templates = Path(webapp.__file__).parent / "templates"
    for path in templates.rglob("*.html"):
        names |= set(re.findall(r'name="([a-z_]+)"', path.read_text()))
    return sorted(names - {"csrf_token", "viewport", "htmx-config"})


class World:
    """Real data for real ids, one signed-in client (and a Bearer token) per role."""

    def __init__(self, app, make_user, seller, manager, show):
        self.users = {"admin": make_user("admin"), "manager": manager, "seller": seller, "door": make_user("door")}
        self.victim = make_user("seller")
        self.show, self.tiers = show, tiers_of(show)
        with app.test_request_context():  # not the `ctx` fixture: its flask.g would be every client's
            self.order = sell_now(seller, show, {0: 2}, [cash(200_00)])
            self.shift = shifts.current_shift(seller)
        self.ticket = Ticket.objects(order_number=self.order.number).first()
        self.real = {"event_id": str(show.pk), "tier_id": str(self.tiers[0].pk), "number": self.order.number,
                     "code": self.ticket.code, "user_id": str(self.victim.pk), "venue_id": str(show.venue.pk),
                     "shift_id": str(self.shift.pk), "message_id": str(OutboxMessage.objects.first().pk),
                     "kind": "sales", "fmt": "csv", "index": "0", "filename": "css/app.css",
                     "session_id": str(self._victims_sign_in(app)), "device_id": str(self._device(app).pk),
                     "hold_id": "5f0000000000000000000001", "sid": "PLA-A-1"}
        self.clients, self.tokens = {}, {}
        for role, user in self.users.items():
            client = app.test_client()
            login_as(client, user)
            self.clients[role] = client
            response = client.post("/api/v1/auth/login", json={"username": user.username, "password": "secret-pass"})
            self.tokens[role] = response.get_json()["token"]
        door = self.clients["door"].post("/door/", data={"event_id": str(show.pk), "gate": "Portão A"})
        assert door.status_code == 302
        self.fields = form_field_names()
        self.plausible = {
            "name": "Robustez", "title": "Show robusto", "username": "robusto", "starts_at": "2031-05-01T21:00",
            "ends_at": "2031-05-01T23:00", "doors_at": "2031-05-01T20:00", "price": "10,00", "quota": "5",
            "capacity": "100", "kind": "general", "timezone": "America/Sao_Paulo", "max_per_order": "4",
            "concession_cap_pct": "40", "venue": str(show.venue.pk),
            "event_id": str(show.pk), "gate": "Portão B", "code": self.ticket.code, "ticket": self.ticket.code,
            "cash_tendered": "500,00", "opening_float": "50,00", "counted_cash": "0,00", "reason": "teste",
            "method": "cash", "status": "on_sale", "current_password": "wrong-pass", "password": "wrong-pass",
            "key": "robust-key-0001", "target": f"{show.pk}/{self.tiers[0].pk}", "locale": "pt_BR",
            f"qty-{self.tiers[0].pk}": "1"}

    def _victims_sign_in(self, app):
        """Someone else's session: the walkers may only get a 404 for it."""
        from webapp.services import sessions

        with app.test_request_context():
            sessions.start(self.victim, "web")
        return self.victim.auth_session.pk

    def _device(self, app):
        from webapp.services.devices import create_device

        with app.test_request_context():
            return create_device(self.users["admin"], "Leitor robusto", "door")[0]

    def allowed(self, view):
        roles = getattr(view, "allowed_roles", None)
        return [r for r in ROLES if roles is None or self.users[r].has_role(*roles)] or list(ROLES)


class Walker:
    """Sends requests and collects every 5xx (and every 4xx page without a message), with the exception seen."""

    def __init__(self, app):
        self.failures, self.sent, self.errors = [], 0, []
        handler = logging.Handler()
        handler.emit = lambda record: self.errors.append(
            f"{record.exc_info[0].__name__}: {str(record.exc_info[1])[:200]}" if record.exc_info
            else record.getMessage())
        app.logger.addHandler(handler)
        self._detach = lambda: app.logger.removeHandler(handler)

    def send(self, client, method, url, role, headers=None, what="", **kw):
        self.errors.clear()
        response = client.open(url, method=method, headers=headers or {}, **kw)
        self.sent += 1
        status, text = response.status_code, response.get_data(as_text=True)
        label = (method, url[:90], role, what[:120], status)
        if status >= 500:
            self.failures.append(label + (self.errors[-1] if self.errors else text[:200],))
        elif status >= 400 and url.startswith("/api/"):
            if not (response.is_json and (response.get_json() or {}).get("error")):
                self.failures.append(label + ("API error without a JSON message",))
        elif status >= 400 and "HX-Request" not in (headers or {}) and status != 401 and not text.strip():
            self.failures.append(label + ("empty error page",))
        return response


def _url(rule, values):
    """The rule's URL with `values` pasted in as they are (hostile ones like '..' or '%00' included)."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def _garbage_form(world, n):
    """Variant n: every field a garbage value (rotating), quantities and documents of the real tiers too."""
    names = world.fields + [f"qty-{t.pk}" for t in world.tiers] + [f"docs-{t.pk}" for t in world.tiers] + ["qty-zzz"]
    form = {name: GARBAGE[(n + i) % len(GARBAGE)] for i, name in enumerate(names)}
    form[names[n * 5 % len(names)]] = LONG[n % 2]
    return form


def _one_bad_field(world, n):
    """Variant n: plausible values but one field garbage (so validation gets past the first field)."""
    names = sorted(world.plausible)
    form = dict(world.plausible)
    form[names[n % len(names)]] = (GARBAGE + LONG)[(n * 7) % (len(GARBAGE) + 2)]
    return form


def _base_body(world):
    """A plausible sale, show, tier and login at once (each route reads its own fields)."""
    tier = str(world.tiers[0].pk)
    return {"event_id": world.real["event_id"], "items": [{"ticket_type_id": tier, "quantity": 1}],
            "payments": [{"method": "cash", "tendered_cents": 500_00}], "title": "API", "venue_id": world.real["venue_id"],
            "starts_at": "2031-05-01T21:00:00-03:00", "ends_at": "2031-05-01T23:00:00-03:00", "name": "Tier",
            "price_cents": 1000, "quota": 3, "status": "on_sale", "username": "nobody", "password": "wrong-pass",
            "customer": {"name": "Ana", "email": "ana@example.com"}}


def _json_bodies(world, n):
    """A few JSON bodies: a plausible sale/show/tier with one field replaced by garbage, and broken JSON."""
    tier = str(world.tiers[0].pk)
    base = _base_body(world)
    bodies = []
    for i in range(len(JSON_GARBAGE)):
        body = dict(base)
        body[API_FIELDS[(n + i * 5) % len(API_FIELDS)]] = JSON_GARBAGE[(n + i) % len(JSON_GARBAGE)]
        bodies.append(("json", body))
        g = JSON_GARBAGE[(n + i * 3) % len(JSON_GARBAGE)]  # and garbage inside the sale's nested objects
        bodies.append(("json", dict(base, items=[{"ticket_type_id": [tier, g][i % 2], "quantity": g, "documents": g}],
                                    payments=[{"method": ["cash", "card", "pix", "comp", g][i % 5], "tendered_cents": g,
                                               "amount_cents": [g, None][i % 2], "auth_code": g, "reference": g}],
                                    customer={"name": g, "email": g, "phone": g})))
    bodies.append(("json", {"items": [{"ticket_type_id": {"$gt": ""}, "quantity": "1", "documents": {"a": 1}}],
                            "payments": [{"method": ["cash"], "amount_cents": "10",
                                          "tendered_cents": 1e309 if n % 2 else -5}],
                            "customer": {"name": {"x": 1}, "email": ["a"]}, "event_id": {"$ne": None}}))
    bodies += [("data", "{not json"), ("data", "[]"), ("data", "null"), ("data", '"text"'), ("json", {})]
    return bodies


def _sample(values, k, n, full):
    """k values of the list starting at rotation n (all of them in a full run)."""
    return values if full else [values[(n + i) % len(values)] for i in range(min(k, len(values)))]


def walk(app, world, walker, full=False):
    """Every rule and method: real ids per role, hostile URL values, garbage forms/queries/JSON (sampled)."""
    counter = itertools.count()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "sales.shift", r.rule)):
        if rule.endpoint in ("auth.logout", "api.logout", "account.end_others"):
            continue  # they sign the client out or end its token (tests/views/test_auth.py, tests/accounts cover them)
        allowed = world.allowed(app.view_functions[rule.endpoint])
        refused = [r for r in ROLES if r not in allowed]
        is_api = rule.rule.startswith("/api/v1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            def send(role, url, what="", **kw):
                n = next(counter)
                headers = dict(HEADERS[n % len(HEADERS)])
                if is_api:
                    token = world.tokens[role] if n % 9 else ["", "zzz", "x" * 5000, "ção"][n % 4]
                    headers = {"Authorization": f"Bearer {token}",
                               "Idempotency-Key": ["robust-key-01", "", "x" * 200, "ção"][n % 4]}
                return walker.send(world.clients[role], method, url, role, headers, what, **kw)

            n, url = next(counter), _url(rule, world.real)
            has_body = method in ("POST", "PUT", "PATCH", "DELETE")
            # Real ids: a role allowed in, and one refused (its 403 page needs a message too).
            for i, role in enumerate(ROLES if full else _sample(allowed, 1, n, full) + _sample(refused, 1, n, full)):
                send(role, url, "real ids", **({"data": _one_bad_field(world, n + i)} if has_body and not is_api else {}))
            # Hostile values in each URL argument (an unknown ObjectId always), the other arguments real.
            for arg in rule.arguments:
                for j, value in enumerate(HOSTILE[:1] + _sample(HOSTILE[1:], 2, n, full)):
                    url_j = _url(rule, dict(world.real, **{arg: value if j % 2 else quote(value, safe="")}))
                    send(allowed[j % len(allowed)], url_j, f"{arg}={value[:20]}",
                         **({"data": world.plausible} if has_body else {}))
            # Garbage bodies (forms, or JSON for the API) and garbage query strings.
            if is_api:
                # Sampled garbage, then every hostile body always (deep, broken text, header breaks).
                hostile = hostile_json_bodies(_base_body(world)) if has_body else []
                for k, (kind, body) in enumerate(_sample(_json_bodies(world, n), 8, n, full) + hostile):
                    extra = {"json": body} if kind == "json" else {"data": body, "content_type": "application/json"}
                    send(allowed[k % len(allowed)], url, str(body)[:120], **extra)
            elif has_body:
                send(allowed[n % len(allowed)], url, "broken UTF-8 form", data=broken_form(world.fields),
                     content_type="application/x-www-form-urlencoded")
                send(allowed[n % len(allowed)], url, "plausible form", data=world.plausible)
                for k in _sample(range(len(JSON_GARBAGE)), 1, n, full):  # Flask-WTF reads a JSON body as the form
                    send(allowed[-1], url, f"JSON to a page {k}",
                         json={name: JSON_GARBAGE[(k + i) % len(JSON_GARBAGE)] for i, name in enumerate(world.fields)})
                for k in _sample(range(len(GARBAGE)), 2, n, full):
                    role = allowed[k % len(allowed)]
                    send(role, url, f"garbage form {k}", data=_garbage_form(world, k))
                    send(role, url, f"one bad field {k}", data=_one_bad_field(world, k * 3 + n))
            if method == "GET":
                for k in _sample(range(len(GARBAGE)), 1, n, full):
                    send(allowed[k % len(allowed)], url, f"garbage query {k}", query_string=_garbage_form(world, k + n))
                send(allowed[n % len(allowed)], url, "broken UTF-8 query", query_string=broken_form(world.fields))
                send(allowed[-1], url, "24 characters, not an id", query_string=not_an_id_form(world.fields))


@pytest.mark.parametrize("full", [False, pytest.param(True, marks=pytest.mark.skipif(
    not os.environ.get("ROBUSTNESS_FULL"), reason="the full cross product (~30 s): ROBUSTNESS_FULL=1"))])
def test_no_input_anywhere_gets_a_500(app, make_user, seller, manager, show, full):
    world = World(app, make_user, seller, manager, show)
    walker = Walker(app)
    try:
        walk(app, world, walker, full)
    finally:
        walker._detach()
    assert walker.sent > 400
    assert not walker.failures, "\n".join(map(str, walker.failures))


# --- refused requests write nothing ------------------------------------------------------------------

def _database():
    """Every document of every collection, to compare before and after a refused request."""
    from webapp.models import ALL_DOCUMENTS

    return {d.__name__: list(d._get_collection().find({}).sort("_id")) for d in ALL_DOCUMENTS}


def test_a_sale_refused_for_its_payment_writes_nothing(app, client, login, seller, show):
    login(seller)
    tiers = tiers_of(show)
    with app.test_request_context():
        sell_now(seller, show, {0: 1}, [cash(100_00)])  # so counters, aggregates and the shift have values to keep
    before = _database()
    attempts = [
        ({"cash_tendered": "150,00"}, "Valor insuficiente"),  # R$ 200,00 due
        ({"card_amount": "200,00"}, "Digite o código de autorização da maquininha."),
        ({"cash_amount": "50,00", "cash_tendered": "50,00", "pix_amount": "100,00", "pix_reference": "P1"},
         "mas o total é"),
    ]
    for payment, message in attempts:
        response = client.post(f"/sell/{show.pk}", data={f"qty-{tiers[0].pk}": "1", f"qty-{tiers[1].pk}": "2",
                                                          f"docs-{tiers[1].pk}": "123.456.789-09\n987.654.321-00",
                                                          "key": f"refused-{len(message)}", **payment})
        assert response.status_code == 400 and message in response.get_data(as_text=True), payment
    assert _database() == before


def test_api_sale_refused_for_its_payment_writes_nothing(app, client, seller, show):
    token = client.post("/api/v1/auth/login", json={"username": seller.username, "password": "secret-pass"}).get_json()
    before = _database()
    response = client.post("/api/v1/orders", headers={"Authorization": f"Bearer {token['token']}",
                                                      "Idempotency-Key": "refused-api-0001"},
                           json={"event_id": str(show.pk), "payments": [{"method": "card"}],
                                 "items": [{"ticket_type_id": str(tiers_of(show)[0].pk), "quantity": 3}]})
    # A well-formed sale a rule refused: 422, naming the JSON's field (the payments), not the POS box.
    assert response.status_code == 422 and response.get_json()["fields"] == {
        "payments": "Digite o código de autorização da maquininha."}
    assert _database() == before


def test_refused_show_and_tier_forms_write_nothing(app, client, logged_in, show):
    logged_in("admin")
    before = _database()
    times = {"starts_at": "2031-05-01T21:00", "ends_at": "2031-05-01T20:00"}  # ends before it starts
    new = client.post("/events/new", data={"title": "Outra noite", "venue": str(show.venue.pk), "max_per_order": "4",
                                           "concession_cap_pct": "40", **times})
    duplicate = client.post(f"/events/{show.pk}/duplicate", data=times)
    tier = client.post(f"/events/{show.pk}/tiers", data={"name": "Camarote", "price": "80,00", "quota": "100000"})
    price = client.post(f"/events/{show.pk}/tiers", data={"name": "Camarote", "price": "1e309", "quota": "10"})
    ends_first = "O espetáculo deve terminar depois de começar."
    assert new.status_code == 400 and ends_first in new.get_data(as_text=True)
    assert duplicate.status_code == 400 and ends_first in duplicate.get_data(as_text=True)
    assert tier.status_code == 400 and "A cota deve ser de 0 até a capacidade" in tier.get_data(as_text=True)
    assert price.status_code == 400 and "Digite um preço como 1.234,50." in price.get_data(as_text=True)
    assert _database() == before


# --- regressions of the 500s the walk found ------------------------------------------------------------

def test_searches_with_a_nul_byte_answer_instead_of_crashing(app, client, logged_in, seller, show):
    """MongoDB refuses a NUL byte in a regex pattern: the order lookup and the show search drop it."""
    with app.test_request_context():
        sell_now(seller, show, {0: 1}, [cash(100_00)], customer={"name": "Maria Souza"})
    logged_in("manager")
    found = client.get("/orders", query_string={"q": "Mar\x00ia"})
    assert found.status_code == 200 and "Maria Souza" in found.get_data(as_text=True)
    shows = client.get("/events", query_string={"q": "\x00Samba"})
    assert shows.status_code == 200 and "Noite de Samba" in shows.get_data(as_text=True)


def test_sale_preview_of_a_malformed_show_id_says_not_found(client, login, seller, show):
    login(seller)
    response = client.post("/sell/zzz/preview", data={f"qty-{tiers_of(show)[0].pk}": "1"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Espetáculo não encontrado." in response.get_data(as_text=True)


def test_json_posted_to_a_page_is_refused_with_a_message(client, logged_in, show):
    """Flask-WTF would read it as the form and hand numbers and nulls to fields that expect text."""
    logged_in("admin")
    before = _database()
    response = client.post("/events/new", json={"title": 5, "starts_at": None, "venue": {"a": 1}})
    assert response.status_code == 415 and "não JSON" in response.get_data(as_text=True)
    assert _database() == before


def test_a_staff_account_id_of_24_characters_that_is_not_an_id_says_not_found(client, logged_in):
    """Any 24 characters passed for an id (the walk's NOT_AN_ID): the staff pages took the length for validity."""
    logged_in("admin")
    for response in (client.get(f"/admin/staff/{NOT_AN_ID}"), client.post(f"/admin/staff/{NOT_AN_ID}", data={})):
        assert response.status_code == 404 and "Conta da equipe não encontrada." in response.get_data(as_text=True)
