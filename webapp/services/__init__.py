"""Business rules: verb-named functions that know nothing of requests or templates."""


class ServiceError(Exception):
    """A rule refused the action; the message is shown to the user (already translated)."""

    status = 400

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Busy(ServiceError):
    """Not now, and nothing was saved: an earlier try of the same request is still under way (or died and is not
    yet given up). 503 with Retry-After; the same request sent again later gets its one answer."""

    status = 503
    retry_after = 2
