"""Staff accounts: sign-in, lockout and administration."""
from bson import ObjectId
from flask_babel import gettext as _
from mongoengine import ValidationError
from pymongo.errors import DuplicateKeyError

from .. import db
from ..models import ROLES, User
from ..models.base import utcnow
from . import NotFound, ServiceError
from .audit import record
from .passwords import MAX_LENGTH, MIN_LENGTH, hash_password, verify_password


class LoginRefused(ServiceError):
    status = 401


def _snapshot(user):
    return {"username": user.username, "name": user.name, "roles": list(user.roles), "active": user.active,
            "locked": user.is_locked, "comp_allowance": user.comp_allowance}


def _commit(action, actor, user, fields, before=None):
    """Write `fields` of `user` (all of it when new) and its audit entry in ONE transaction."""
    try:
        user.validate()
    except ValidationError as exc:
        field = next(iter(exc.errors or {}), None)
        raise ServiceError(_("Check the field: %(field)s.", field=field or "?"), field) from None
    document = user.to_mongo()

    def write(session):
        users = User._get_collection()
        if fields is None:
            users.insert_one(document, session=session)
        else:
            users.update_one({"_id": user.pk}, {"$set": {f: document.get(f) for f in fields}}, session=session)
        record(action, actor, session=session, target=user, before=before, after=_snapshot(user))

    try:
        db.run_in_transaction(write)
    except DuplicateKeyError:
        raise ServiceError(_("This username is already taken."), "username") from None
    return user


def _check_password(password):
    if not password or len(password) < MIN_LENGTH:
        raise ServiceError(_("The password must have at least %(n)d characters.", n=MIN_LENGTH), "password")
    if len(password) > MAX_LENGTH:
        raise ServiceError(_("The password must have at most %(n)d characters.", n=MAX_LENGTH), "password")


def _check_roles(roles):
    if not roles or any(r not in ROLES for r in roles):
        raise ServiceError(_("Choose at least one valid role."), "roles")


def authenticate(username, password, max_failures):
    """The active, unlocked user with these credentials, or LoginRefused; failures count toward a lockout."""
    user = User.objects(username=(username or "").strip().lower()).first()
    if user is None:
        verify_password(hash_password("timing-equaliser"), password or "")  # same cost either way
        raise LoginRefused(_("Wrong username or password."))
    if user.is_locked:
        raise LoginRefused(_("This account is locked after too many failed attempts. Ask an administrator to unlock it."))
    if not verify_password(user.password_hash, password or ""):
        # Atomic increment so parallel attempts all count; lock when the limit is reached.
        user = User.objects(pk=user.pk).modify(inc__failed_logins=1, new=True)
        if user.failed_logins >= max_failures:
            User.objects(pk=user.pk, locked_at=None).update_one(set__locked_at=utcnow())
            record("user.locked", None, target=user, after={"failed_logins": user.failed_logins})
            raise LoginRefused(_("This account is locked after too many failed attempts. Ask an administrator to unlock it."))
        raise LoginRefused(_("Wrong username or password."))
    if not user.active:
        raise LoginRefused(_("This account is deactivated."))
    user.update(set__failed_logins=0, set__last_login_at=utcnow())
    return user


def create_user(actor, *, username, name, password, roles, locale="pt_BR", comp_allowance=0):
    """Create a staff account."""
    _check_password(password)
    _check_roles(roles)
    user = User(id=ObjectId(), username=(username or "").strip().lower(), name=(name or "").strip(),
                roles=list(roles), locale=locale, comp_allowance=comp_allowance or 0,
                password_hash=hash_password(password))
    return _commit("user.create", actor, user, None)


def get_user(user_id):
    user = User.objects(pk=user_id).first() if ObjectId.is_valid(str(user_id or "")) else None
    if user is None:
        raise NotFound(_("Staff account not found."))
    return user


def update_user(actor, user, *, name, roles, locale, comp_allowance=0):
    """Change a staff account's name, roles, language and comp allowance."""
    _check_roles(roles)
    if user.pk == actor.pk and "admin" not in roles:
        raise ServiceError(_("You cannot remove your own admin role."), "roles")
    before = _snapshot(user)
    user.name, user.roles, user.locale, user.comp_allowance = (name or "").strip(), list(roles), locale, comp_allowance or 0
    return _commit("user.update", actor, user, ["name", "roles", "locale", "comp_allowance"], before)


def set_active(actor, user, active):
    """Activate or deactivate an account; deactivating ends its sessions at once."""
    if user.pk == actor.pk and not active:
        raise ServiceError(_("You cannot deactivate your own account."))
    before = _snapshot(user)
    user.active = active
    if not active:
        user.rotate_session_token()
    return _commit("user.activate" if active else "user.deactivate", actor, user, ["active", "session_token"], before)


def unlock(actor, user):
    """Clear a lockout after failed logins."""
    before = _snapshot(user)
    user.locked_at, user.failed_logins = None, 0
    return _commit("user.unlock", actor, user, ["locked_at", "failed_logins"], before)


def set_password(actor, user, password):
    """Set a new password (own change or admin reset); every other session of the user ends."""
    _check_password(password)
    user.password_hash = hash_password(password)
    user.rotate_session_token()
    return _commit("user.password", actor, user, ["password_hash", "session_token"])


def change_own_password(user, current, new):
    """A user's own password change, checking the current one."""
    if not verify_password(user.password_hash, current or ""):
        raise ServiceError(_("The current password is wrong."), "current_password")
    return set_password(user, user, new)


def end_sessions(user):
    """Log out every session of the user (logout rotates the token)."""
    user.rotate_session_token()
    user.save()


def set_locale(user, locale):
    user.update(set__locale=locale)
