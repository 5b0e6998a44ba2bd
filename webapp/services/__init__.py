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
