"""One sign-in: a browser session, a person's API token or a device's token (see services/sessions.py)."""
from mongoengine import DateTimeField, Document, ObjectIdField, StringField

from .base import utcnow

SESSION_KINDS = ("web", "api", "device")


class AuthSession(Document):
    # SHA-256 of the secret the browser or client holds: a copy of this collection signs nobody in.
    token_hash = StringField(required=True, unique=True, max_length=64)
    user_id = ObjectIdField(required=True)
    generation = StringField(required=True)  # the user's session_token when it began (rotation ends it)
    kind = StringField(required=True, choices=SESSION_KINDS)
    name = StringField(max_length=80)  # a device token's name ("Portão A", "Quiosque do saguão")
    created_at = DateTimeField(default=utcnow, required=True)
    created_by = ObjectIdField()  # the admin who made a device token
    fresh_at = DateTimeField()  # when the password was last typed in it (sign-in or re-authentication)
    last_seen_at = DateTimeField(default=utcnow, required=True)
    expires_at = DateTimeField(required=True)  # the absolute limit; MongoDB's TTL monitor removes it then
    ip = StringField(max_length=64)  # where it was last used from
    agent = StringField(max_length=200)  # the browser or client (User-Agent), shortened

    meta = {"collection": "auth_sessions",
            "indexes": [("user_id", "-last_seen_at"), {"fields": ["expires_at"], "expireAfterSeconds": 0}]}
