"""Staff accounts."""
import secrets

from flask_login import UserMixin
from mongoengine import BooleanField, DateTimeField, Document, IntField, ListField, StringField

from .base import utcnow

ROLES = ("admin", "manager", "seller", "door")
# A role includes the ones listed for it: a manager can do everything a seller can, and so on.
ROLE_INCLUDES = {
    "admin": {"admin", "manager", "seller", "door"},
    "manager": {"manager", "seller", "door"},
    "seller": {"seller"},
    "door": {"door"},
}


def new_session_token():
    return secrets.token_urlsafe(32)


class User(UserMixin, Document):
    username = StringField(required=True, unique=True, min_length=3, max_length=40, regex=r"^[a-z0-9._-]+$")
    name = StringField(required=True, max_length=120)
    password_hash = StringField(required=True)
    roles = ListField(StringField(choices=ROLES), required=True)
    active = BooleanField(default=True)
    locale = StringField(choices=("pt_BR", "en"), default="pt_BR")
    failed_logins = IntField(default=0, min_value=0)
    locked_at = DateTimeField()
    # Flask-Login's id: rotating it logs out every existing cookie of this user at once.
    session_token = StringField(required=True, unique=True, default=new_session_token)
    comp_allowance = IntField(default=0, min_value=0)  # complimentary tickets a seller may give per shift
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField()

    meta = {"collection": "users", "indexes": ["roles"]}

    def get_id(self):
        return self.session_token

    @property
    def is_active(self):
        return self.active

    @property
    def is_locked(self):
        return self.locked_at is not None

    @property
    def effective_roles(self):
        return set().union(*(ROLE_INCLUDES.get(r, set()) for r in self.roles)) if self.roles else set()

    def has_role(self, *roles):
        """True when the user holds (or includes) any of the roles."""
        return bool(self.effective_roles.intersection(roles))

    def rotate_session_token(self):
        self.session_token = new_session_token()
