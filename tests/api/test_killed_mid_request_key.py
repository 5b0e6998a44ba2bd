"""Operations whose Idempotency-Key is kept in Redis (shifts, check-ins, refund settlement): a first try whose web
worker was killed leaves its key "in progress"; retries are told to try again (503, Retry-After) and the key is
given up after twice the request's bound, not kept for the day."""
import json

from redis import Redis

from tests.api.conftest import keyed
from webapp.models import Shift
from webapp.services import shifts


def _kept_keys(app):
    redis = Redis.from_url(app.config["REDIS_URL"])
    return redis, redis.keys("api-idempotency:*")


def test_a_key_left_in_progress_by_a_killed_worker_answers_503_and_is_given_up_soon(app, bearer, make_user,
                                                                                  monkeypatch):
    seller = make_user("seller")
    c, h = bearer(seller)
    headers = keyed(h)
    seen = {}
    real_open = shifts.open_shift

    def open_and_look(*args, **kwargs):  # while the first try runs: its key is marked, for a short while only
        redis, [name] = _kept_keys(app)
        seen["ttl"] = redis.ttl(name)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(shifts, "open_shift", open_and_look)
    opened = c.post("/api/v1/shifts", json={"opening_float_cents": 100_00}, headers=headers)
    assert opened.status_code == 201, opened.get_json()
    bound = app.config["MONGODB_OPERATION_TIMEOUT_MS"] / 1000
    assert 0 < seen["ttl"] <= 2 * bound + 1  # a worker killed mid-request does not block the key for the day
    redis, [name] = _kept_keys(app)
    assert redis.ttl(name) > 3600  # the answer is kept for the day

    # The state a SIGKILL mid-request leaves: the key marked, no answer kept.
    redis.set(name, json.dumps({"mark": json.loads(redis.get(name))["mark"]}), ex=5)
    busy = c.post("/api/v1/shifts", json={"opening_float_cents": 100_00}, headers=headers)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "2", busy.get_json()
    assert Shift.objects(seller_id=seller.pk).count() == 1
