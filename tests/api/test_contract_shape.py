"""The API's contract as a whole: one error body, the statuses listed per operation, the document behind a login."""
from tests.api.conftest import keyed


def test_errors_have_one_shape_and_keep_their_headers(client, bearer, make_user):
    anonymous = client.get("/api/v1/events")
    assert anonymous.status_code == 401 and set(anonymous.get_json()) >= {"error", "fields"}
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    trace = client.open("/api/v1/events", method="TRACE")
    assert trace.status_code == 405 and {"GET", "POST"} <= set(trace.headers["Allow"].replace(" ", "").split(","))
    assert trace.get_json()["fields"] == {}
    c, h = bearer(make_user("admin"))
    broken = c.post("/api/v1/venues", data="{not json", headers={**h, "Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.get_json()["error"]
    shape = c.post("/api/v1/venues", json={"name": 5, "capacity": "many", "kind": "cave"}, headers=h).get_json()
    assert set(shape["fields"]) == {"name", "capacity", "kind"} and shape["fields"]["name"] == "Deve ser texto."
    nested = c.post("/api/v1/holds", json={"event_id": "0" * 24, "items": [{"ticket_type_id": "x", "quantity": 1}]},
                    headers=keyed(h)).get_json()
    assert nested["fields"] == {"items.0.ticket_type_id": "Está no formato errado."}


def test_every_operation_lists_its_statuses_and_no_catch_all(client, logged_in):
    logged_in("seller")
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    operations = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()
                  if method in ("get", "post", "patch", "delete")]
    assert len(operations) >= 28
    for path, method, op in operations:
        codes = set(op["responses"])
        assert "default" not in codes, (method, path)
        assert codes & {"200", "201", "204"}, (method, path)
        if path != "/api/v1/auth/login":
            assert {"401", "403"} <= codes or path == "/api/v1/auth/logout", (method, path)
        if op.get("requestBody") or any(p["in"] == "query" for p in op.get("parameters", [])):
            assert "400" in codes, (method, path)
        for code, answer in op["responses"].items():
            if "$ref" in answer:  # the 400 of a request schema: a shared response
                answer = spec["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
            if code.startswith("4"):
                assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/Error"), (method, path)
        if method == "post" and any(word in path for word in ("orders", "holds", "void", "refund", "exchange",
                                                               "shifts", "checkins")):
            assert any(p["name"] == "Idempotency-Key" and p["required"] for p in op.get("parameters", [])), path
