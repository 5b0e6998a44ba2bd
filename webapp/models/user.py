"""Staff accounts."""
import secrets

from flask_login import UserMixin
from mongoengine import BooleanField, DateTimeField, Document, IntField, ListField, StringField

from .base import utcnow

ROLES = ("admin", "manager", "seller", "door")
KINDS = ("person", "device")
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
    # "person" signs in with a password; "device" (a door scanner, a kiosk) only ever holds a revocable API token.
    kind = StringField(choices=KINDS, default="person")
    failed_logins = IntField(default=0, min_value=0)  # wrong passwords since the last sign-in or lockout
    lockouts = IntField(default=0, min_value=0)  # lockouts in a row: each one lasts twice the one before
    locked_at = DateTimeField()  # when the last lockout began
    locked_until = DateTimeField()  # sign-in refused until then (a temporary lock, never a permanent one)
    # The generation of the user's sessions and tokens (services/sessions.py): rotating it ends all of them at once.
    session_token = StringField(required=True, unique=True, default=new_session_token)
    comp_allowance = IntField(default=0, min_value=0)  # complimentary tickets a seller may give per shift
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField()

    meta = {"collection": "users", "indexes": ["roles"]}

    # The sign-in this request belongs to (an AuthSession) and its secret, set by services/sessions.py.
    auth_session = None
    auth_token = None

    def get_id(self):
        """Flask-Login keeps this in the cookie: the secret of this one sign-in, not anything of the user's."""
        return self.auth_token

    @property
    def is_active(self):
        return self.active

    @property
    def is_locked(self):
        return self.locked_until is not None and self.locked_until > utcnow()

    @property
    def is_device(self):
        return self.kind == "device"

    @property
    def effective_roles(self):
        # From _data, not self.roles: MongoEngine's list field wraps the list anew on every read (two thirds of a
        # has_role, and a page asks it for each entry of the navigation bar).
        return set().union(*(ROLE_INCLUDES.get(r, ()) for r in self._data.get("roles") or ()))

    def has_role(self, *roles):
        """True when the user holds (or includes) any of the roles."""
        return bool(self.effective_roles.intersection(roles))

    def rotate_session_token(self):
        self.session_token = new_session_token()
