"""Staff accounts: sign-in, lockout and administration."""
from datetime import timedelta

from bson import ObjectId
from flask import current_app
from flask_babel import gettext as _
from mongoengine import ValidationError
from pymongo.errors import DuplicateKeyError

from .. import db
from ..models import ROLES, AuthSession, User
from ..models.base import utcnow
from . import NotFound, ServiceError
from .audit import record
from .passwords import check_new_password, dummy_hash, hash_password, verify_password


class LoginRefused(ServiceError):
    status = 401


def _snapshot(user):
    return {"username": user.username, "name": user.name, "roles": list(user.roles), "active": user.active,
            "locked": user.is_locked, "comp_allowance": user.comp_allowance}


def _commit_in(session, action, actor, user, fields, before, end_sessions, also):
    users, document = User._get_collection(), user.to_mongo()
    if fields is None:
        users.insert_one(document, session=session)
    else:
        users.update_one({"_id": user.pk}, {"$set": {f: document.get(f) for f in fields}}, session=session)
    if end_sessions:
        AuthSession._get_collection().delete_many({"user_id": user.pk}, session=session)
    if also:
        also(session)
    record(action, actor, session=session, target=user, before=before, after=_snapshot(user))


def commit(action, actor, user, fields, before=None, end_sessions=False, also=None):
    """Write `fields` of `user` (all of it when new) and its audit entry in ONE transaction; `end_sessions` removes
    the user's sign-ins in it too (the rotated session_token already refuses them), `also(session)` adds writes."""
    try:
        user.validate()
    except ValidationError as exc:
        field = next(iter(exc.errors or {}), None)
        raise ServiceError(_("Check the field: %(field)s.", field=field or "?"), field) from None
    try:
        db.run_in_transaction(_commit_in, action, actor, user, fields, before, end_sessions, also)
    except DuplicateKeyError:
        raise ServiceError(_("This username is already taken."), "username") from None
    return user


def _check_roles(roles):
    if not roles or any(r not in ROLES for r in roles):
        raise ServiceError(_("Choose at least one valid role."), "roles")


def refusal():
    """The one answer to every failed sign-in: unknown user, wrong password, locked or deactivated account."""
    return LoginRefused(_("Wrong username or password. After several wrong attempts an account waits a few "
                          "minutes before it can sign in again."))


def authenticate(username, password):
    """The active, unlocked person with these credentials, or refusal(). Every path costs exactly one argon2
    verification (an unknown user's against a dummy hash), so the time taken tells nothing about the account."""
    user = User.objects(username=(username or "").strip().lower()).first() if isinstance(username, str) else None
    matches = verify_password(user.password_hash if user else dummy_hash(), password or "")
    if user is None or user.is_device or user.is_locked:
        raise refusal()  # during a lockout even the right password waits, and the try does not count
    if not matches:
        _count_failure(user)
        raise refusal()
    if not user.active:
        raise refusal()
    user.update(set__failed_logins=0, set__lockouts=0, set__last_login_at=utcnow())
    return user


def _count_failure(user):
    """One more wrong password; the LOGIN_MAX_FAILURES-th in a row locks the account for a while, each lockout in a
    row twice as long as the one before (LOCKOUT_SECONDS, at most LOCKOUT_MAX_SECONDS)."""
    cfg = current_app.config
    user = User.objects(pk=user.pk).modify(inc__failed_logins=1, new=True)  # atomic: parallel tries all count
    if user is None or user.failed_logins < cfg["LOGIN_MAX_FAILURES"]:
        return
    seconds = min(cfg["LOCKOUT_SECONDS"] * 2 ** min(user.lockouts, 20), cfg["LOCKOUT_MAX_SECONDS"])
    now = utcnow()
    # Only the request that reached the limit locks (the filter), once.
    locked = User.objects(pk=user.pk, failed_logins__gte=cfg["LOGIN_MAX_FAILURES"], lockouts=user.lockouts).modify(
        set__failed_logins=0, inc__lockouts=1, set__locked_at=now, set__locked_until=now + timedelta(seconds=seconds),
        new=True)
    if locked is not None:
        record("user.locked", None, target=locked, after={"seconds": seconds, "lockouts": locked.lockouts})


def create_user(actor, *, username, name, password, roles, locale="pt_BR", comp_allowance=0):
    """Create a staff account."""
    username, name = (username or "").strip().lower(), (name or "").strip()
    check_new_password(password, username, name)
    _check_roles(roles)
    user = User(id=ObjectId(), username=username, name=name,
                roles=list(roles), locale=locale, comp_allowance=comp_allowance or 0,
                password_hash=hash_password(password))
    return commit("user.create", actor, user, None)


def get_user(user_id):
    """A staff account (not a device: those change only through services/devices.py)."""
    user = User.objects(pk=user_id, kind__ne="device").first() if ObjectId.is_valid(str(user_id or "")) else None
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
    return commit("user.update", actor, user, ["name", "roles", "locale", "comp_allowance"], before)


def may_deactivate(actor, user):
    """Whether `actor` may deactivate `user` (never their own account: the list offers no such button)."""
    return user.pk != actor.pk


def set_active(actor, user, active):
    """Activate or deactivate an account; deactivating ends its sessions and tokens at once."""
    if not active and not may_deactivate(actor, user):
        raise ServiceError(_("You cannot deactivate your own account."))
    before = _snapshot(user)
    user.active = active
    if not active:
        user.rotate_session_token()
    return commit("user.activate" if active else "user.deactivate", actor, user, ["active", "session_token"], before,
                   end_sessions=not active)


def unlock(actor, user):
    """End a lockout after wrong passwords now (the admin's button, `flask unlock-user`); the next wait starts short."""
    before = _snapshot(user)
    user.locked_until, user.failed_logins, user.lockouts = None, 0, 0
    return commit("user.unlock", actor, user, ["locked_until", "failed_logins", "lockouts"], before)


def set_password(actor, user, password):
    """Set a new password (own change or admin reset); every session and token of the user ends."""
    check_new_password(password, user.username, user.name)
    user.password_hash = hash_password(password)
    user.rotate_session_token()
    return commit("user.password", actor, user, ["password_hash", "session_token"], end_sessions=True)


def change_own_password(user, current, new):
    """A user's own password change, checking the current one like a sign-in (a wrong one counts toward the
    lockout: an open session is no free password oracle)."""
    try:
        authenticate(user.username, current)
    except LoginRefused:
        raise ServiceError(_("The current password is wrong."), "current_password") from None
    return set_password(user, user, new)


def end_sessions(user, actor=None):
    """End every session and token of the user at once (audited as done by `actor`, the user by default)."""
    user.rotate_session_token()
    return commit("user.sessions_end", actor or user, user, ["session_token"], end_sessions=True)


def set_locale(user, locale):
    user.update(set__locale=locale)
