"""Configuration: every value comes from an environment variable, read when the app is made."""
import os


MINUTE, HOUR, DAY = 60, 3600, 86400


def _env(name, default=None):
    return os.environ.get(name, default)


def _number(kind, name, default, what, low, high):
    """The setting as `kind`, refused at start-up unless it is one, from `low` to `high` (None: no upper bound)."""
    value = _env(name, default)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = None
    if number is not None and number == number and low <= number and (high is None or number <= high):
        return number  # (number == number: "nan" parses as a float and is in no range)
    # Said at start-up, naming the variable and what it takes: a typo or a negative number in a deployment is
    # found before the first sale, not later inside a command or a sale (OUTBOX_KEEP_DAYS=-1 failed in init-db).
    allowed = f"from {low} to {high}" if high is not None else f"{low} or more"
    raise RuntimeError(f"{name} must be {what} {allowed}, not {value!r}") from None


def _int(name, default, low, high=None):
    return _number(int, name, default, "a whole number", low, high)


def _float(name, default, low, high=None):
    return _number(float, name, default, "a number of seconds", low, high)


def _seconds_list(name, default, low=1, high=DAY):
    """A comma-separated list of whole seconds ("30,120,600"), each from `low` to `high`."""
    text = str(_env(name, default))
    try:
        seconds = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        seconds = None
    if seconds and all(low <= s <= high for s in seconds):
        return seconds
    raise RuntimeError(f"{name} must be whole seconds from {low} to {high} separated by commas, not {text!r}")


class Config:
    """Settings shared by every environment."""

    CONFIG_NAME = None  # which FLASK_CONFIG this is (commands that wipe data run only outside production)
    DEBUG = False
    TESTING = False

    def __init__(self):
        self.SECRET_KEY = _env("SECRET_KEY")
        # Proxies in front of the app (load balancer, ingress) whose X-Forwarded-* headers are trusted, so the
        # login throttle counts per client address, not per proxy.
        self.PROXY_HOPS = _int("PROXY_HOPS", 0, 0, 10)
        self.MONGODB_URI = _env("MONGODB_URI", "mongodb://127.0.0.1:27017/?replicaSet=rs0")
        self.MONGODB_DB = _env("MONGODB_DB", "bilheteria")
        self.MONGODB_TIMEOUT_MS = _int("MONGODB_TIMEOUT_MS", 5000, 100, 10 * MINUTE * 1000)
        # Longest any one MongoDB operation may take, sent or not (pymongo's timeoutMS) — in the web, all of one
        # request's operations together — and the longest a whole transaction with its retries may take: below
        # gunicorn's timeout (gunicorn.conf.py), about an election's length (a frozen primary answers 503 by then).
        self.MONGODB_OPERATION_TIMEOUT_MS = _int("MONGODB_OPERATION_TIMEOUT_MS", 6000, 100, 10 * MINUTE * 1000)
        self.MONGODB_TRANSACTION_SECONDS = _float("MONGODB_TRANSACTION_SECONDS", 5, 0.1, 10 * MINUTE)
        self.REDIS_URL = _env("REDIS_URL", "redis://127.0.0.1:6379/0")
        self.RQ_QUEUE = _env("RQ_QUEUE", "bilheteria")
        # Flask-Limiter keeps its counters in Redis so every web replica shares them.
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL
        self.RATELIMIT_LOGIN = _env("RATELIMIT_LOGIN", "10 per minute")
        # A Redis outage must not lock staff out of the counter: limits are skipped then.
        self.RATELIMIT_SWALLOW_ERRORS = True
        # Wrong passwords in a row before an account waits; the first wait, doubled at each lockout in a row up to
        # the longest. Temporary on purpose: anyone can type five wrong passwords for any username.
        self.LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5, 1, 1000)
        self.LOCKOUT_SECONDS = _int("LOCKOUT_SECONDS", 60, 1, DAY)
        self.LOCKOUT_MAX_SECONDS = _int("LOCKOUT_MAX_SECONDS", 900, 1, 30 * DAY)
        self.BABEL_DEFAULT_LOCALE = "pt_BR"
        self.BABEL_DEFAULT_TIMEZONE = _env("TIMEZONE", "America/Sao_Paulo")
        self.LANGUAGES = {"pt_BR": "Português (Brasil)", "en": "English"}
        self.CURRENCY = _env("CURRENCY", "BRL")
        self.MAIL_HOST = _env("MAIL_HOST", "127.0.0.1")
        self.MAIL_PORT = _int("MAIL_PORT", 25, 1, 65535)
        self.MAIL_FROM = _env("MAIL_FROM", "bilheteria@localhost")
        # Seconds an SMTP exchange may take before it counts as failed.
        self.MAIL_TIMEOUT = _float("MAIL_TIMEOUT", 10, 0.1, HOUR)
        # Refunds of a cancelled show: orders per batch, and an optional pause between batches (seconds).
        self.CANCELLATION_BATCH_SIZE = _int("CANCELLATION_BATCH_SIZE", 50, 1, 10_000)
        self.CANCELLATION_BATCH_DELAY = _float("CANCELLATION_BATCH_DELAY", 0, 0, HOUR)
        # Longest run of each background job before RQ kills it (seconds): one order's e-mail, a whole show.
        self.CONFIRM_JOB_TIMEOUT = _int("CONFIRM_JOB_TIMEOUT", 300, 1, DAY)
        self.CANCELLATION_JOB_TIMEOUT = _int("CANCELLATION_JOB_TIMEOUT", 3600, 1, 7 * DAY)
        # The worker's niceness (0 = as the web): during a rush the web workers get the CPU first and the worker
        # confirms what is left once they idle; it never changes what is confirmed, only when.
        self.WORKER_NICE = _int("WORKER_NICE", 10, 0, 19)
        # Outbox relay: a message dispatched this long ago whose RQ job is gone, or was started by a worker whose
        # heartbeat (every WORKER_HEARTBEAT_SECONDS, expiring after three) stopped, is sent again; chores period.
        self.OUTBOX_REDELIVER_SECONDS = _int("OUTBOX_REDELIVER_SECONDS", 20, 1, DAY)
        self.WORKER_HEARTBEAT_SECONDS = _int("WORKER_HEARTBEAT_SECONDS", 5, 1, HOUR)
        self.HOUSEKEEPING_SECONDS = _int("HOUSEKEEPING_SECONDS", 300, 1, DAY)
        # A sale's places are held this long for the customer to pay; the relay sweeps expired holds this often.
        self.HOLD_SECONDS = _int("HOLD_SECONDS", 300, 1, DAY)
        self.HOLD_SWEEP_SECONDS = _int("HOLD_SWEEP_SECONDS", 30, 1, HOUR)
        # A confirmation job that fails is retried by RQ after each of these waits (seconds), then given up.
        self.CONFIRM_RETRY_INTERVALS = _seconds_list("CONFIRM_RETRY_INTERVALS", "30,120,600,1800")
        # Redis refused a message: it waits OUTBOX_BACKOFF × 2^attempts seconds (at most ×300) before the next try;
        # a hand-off is tried 3 times, OUTBOX_ENQUEUE_WAIT apart (doubling); after 3 failed passes the circuit
        # breaker stops calling Redis for OUTBOX_BREAKER_RESET seconds.
        self.OUTBOX_BACKOFF = _float("OUTBOX_BACKOFF", 2, 0, HOUR)
        self.OUTBOX_ENQUEUE_WAIT = _float("OUTBOX_ENQUEUE_WAIT", 0.2, 0, MINUTE)
        self.OUTBOX_BREAKER_RESET = _float("OUTBOX_BREAKER_RESET", 5, 0, HOUR)
        # Confirmations the relay hands to one RQ job at most (whatever is due goes at once: no wait to fill one);
        # RQ's own bookkeeping per job cost more than confirming a box-office order.
        self.OUTBOX_BATCH = _int("OUTBOX_BATCH", 50, 1, 10_000)
        # Done outbox messages are deleted this many days after they finished (failed ones stay until retried).
        self.OUTBOX_KEEP_DAYS = _int("OUTBOX_KEEP_DAYS", 7, 0, 3650)
        self.TICKET_FORMAT = _env("TICKET_FORMAT", "thermal")  # thermal (80 mm) | a4
        # Blind count: a seller closing a shift counts the drawer without seeing the cash expected (1 = on).
        self.SHIFT_BLIND_COUNT = _env("SHIFT_BLIND_COUNT", "0").strip().lower() in ("1", "true", "yes", "on")
        self.MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 1024 * 1024, 1024, 1024 ** 3)
        # Argon2id cost; tests lower it so the suite stays fast.
        self.ARGON2_TIME_COST = _int("ARGON2_TIME_COST", 3, 1, 100)
        self.ARGON2_MEMORY_KIB = _int("ARGON2_MEMORY_KIB", 65536, 1024, 4 * 1024 * 1024)
        # A counter shift lasts hours: a form left open must still post.
        self.WTF_CSRF_TIME_LIMIT = None
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        # Absolute: a long shift, then sign in again.
        self.PERMANENT_SESSION_LIFETIME = _int("SESSION_HOURS", 14, 1, 24 * 30) * HOUR
        # A sign-in (browser or a person's API token) ends after this long without a request: someone walked away
        # from the counter. Automatic refreshes (dashboard, door counters) do not count as activity.
        self.SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 30, 1, 24 * 60)
        # Refunds, overrides and staff changes need the password typed within this many minutes.
        self.RECENT_SIGN_IN_MINUTES = _int("RECENT_SIGN_IN_MINUTES", 5, 1, 24 * 60)
        # A door scanner's or kiosk's token, then a new one.
        self.DEVICE_TOKEN_DAYS = _int("DEVICE_TOKEN_DAYS", 90, 1, 3650)
        # Sales of a show close this long after it starts (late arrivals buy at the box office) unless the show sets
        # its own "sales close at"; 0 closes them at the start. Never after the show ends.
        self.LATE_SALE_MINUTES = _int("LATE_SALE_MINUTES", 30, 0, 24 * 60)
        self.DASHBOARD_REFRESH_SECONDS = _int("DASHBOARD_REFRESH_SECONDS", 5, 1, HOUR)  # the dashboard's HTMX poll
        # Strict-Transport-Security max-age; sent only when > 0 (production: a year, as TLS ends in front of us).
        self.HSTS_SECONDS = _int("HSTS_SECONDS", 0, 0, 10 * 365 * DAY)
        self.SWAGGER = {"title": "Bilheteria API", "uiversion": 3, "specs_route": "/api/docs/"}


class DevConfig(Config):
    CONFIG_NAME = "development"
    DEBUG = True


class TestConfig(Config):
    CONFIG_NAME = "testing"
    TESTING = True

    def __init__(self):
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or "test-secret-key"
        self.ARGON2_TIME_COST = 1
        self.ARGON2_MEMORY_KIB = 1024
        self.MONGODB_TIMEOUT_MS = 2000


class ProductionConfig(Config):
    CONFIG_NAME = "production"

    def __init__(self):
        super().__init__()
        self.SESSION_COOKIE_SECURE = _env("SESSION_COOKIE_SECURE", "1") == "1"
        self.HSTS_SECONDS = _int("HSTS_SECONDS", 365 * DAY, 0, 10 * 365 * DAY)
        if not self.SECRET_KEY or len(self.SECRET_KEY) < 32 or self.SECRET_KEY.startswith("change"):
            raise RuntimeError("SECRET_KEY must be set to a random value of at least 32 characters")


CONFIGS = {"development": DevConfig, "testing": TestConfig, "production": ProductionConfig}


def load(name=None):
    """The config object for FLASK_CONFIG (development by default)."""
    name = name or _env("FLASK_CONFIG", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"FLASK_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}") from None
