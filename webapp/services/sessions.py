"""Sign-ins: one record per browser session, person's API token or device token, so each ends on its own.

The browser's cookie (through Flask-Login) or the client's Bearer header holds a random secret; the database keeps
only its SHA-256. A sign-in ends when it is ended (logout, the account page, an admin revoking a device token), at
its absolute limit, after SESSION_IDLE_MINUTES without use (not device tokens: a door scanner waits days between
shows), or when the user's `session_token` generation is rotated (password change, deactivation).
"""
import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from ..models import AuthSession, User
from ..models.base import utcnow
from . import NotFound

TOUCH_EVERY = timedelta(seconds=60)  # last use is written at most once a minute: not one write per request
MAX_TOKEN_LENGTH = 128


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetime(kind):
    cfg = current_app.config
    if kind == "device":
        return timedelta(days=cfg["DEVICE_TOKEN_DAYS"])
    return timedelta(seconds=cfg["PERMANENT_SESSION_LIFETIME"])


def _ended(record, now):
    if record.expires_at <= now:
        return True
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    return record.kind != "device" and now - record.last_seen_at > idle


def new(user, kind, *, ip=None, agent=None, name=None, created_by=None):
    """(secret, record) of a new sign-in of `user`, not yet saved; the secret itself is never stored."""
    token, now = secrets.token_urlsafe(32), utcnow()
    record = AuthSession(token_hash=_digest(token), user_id=user.pk, generation=user.session_token, kind=kind,
                         name=name, created_by=getattr(created_by, "pk", None), last_seen_at=now,
                         fresh_at=None if kind == "device" else now, expires_at=now + _lifetime(kind),
                         ip=(ip or "")[:64] or None, agent=(agent or "")[:200] or None)
    return token, record


def start(user, kind, **details):
    """A new sign-in of `user` (kind web or api, see new()); returns its secret for the cookie or the client."""
    token, record = new(user, kind, **details)
    record.save(force_insert=True)
    user.auth_session, user.auth_token = record, token
    return token


def resume(token, kinds, *, ip=None, activity=True):
    """The active user whose sign-in of one of `kinds` this secret is (with user.auth_session set), or None.
    `activity` False (an automatic refresh) leaves the idle clock running."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    # Every request runs this: the sign-in and its active user in one round trip, raw (a QuerySet's clones were a
    # third of a small API request's CPU, and a second find a quarter of what is left).
    raw = next(AuthSession._get_collection().aggregate([
        {"$match": {"token_hash": _digest(token)}},
        {"$limit": 1},
        {"$lookup": {"from": User._get_collection_name(), "localField": "user_id", "foreignField": "_id",
                     "pipeline": [{"$match": {"active": True}}], "as": "user"}},
    ]), None)
    if raw is None or raw.get("kind") not in kinds:
        return None
    users = raw.pop("user")
    record, now = AuthSession._from_son(raw), utcnow()
    user = User._from_son(users[0]) if users and not _ended(record, now) else None
    if user is None or user.session_token != record.generation:
        record.delete()
        return None
    if activity and now - record.last_seen_at >= TOUCH_EVERY:
        AuthSession.objects(pk=record.pk).update_one(set__last_seen_at=now, set__ip=(ip or "")[:64] or None)
        record.last_seen_at = now
    user.auth_session, user.auth_token = record, token
    return user


def confirm(record):
    """The password was typed again in this sign-in (re-authentication): it is recent for a few minutes."""
    now = utcnow()
    AuthSession.objects(pk=record.pk).update_one(set__fresh_at=now)
    record.fresh_at = now


def is_recent(record):
    """True when the password was typed in this sign-in within RECENT_SIGN_IN_MINUTES."""
    window = timedelta(minutes=current_app.config["RECENT_SIGN_IN_MINUTES"])
    return record is not None and record.fresh_at is not None and utcnow() - record.fresh_at <= window


def end(record):
    """End one sign-in (logout, or a token's own logout)."""
    AuthSession.objects(pk=record.pk).delete()


def active_for(user):
    """The user's sign-ins that still work, most recently used first (ended ones are removed on the way)."""
    now, live = utcnow(), []
    for record in AuthSession.objects(user_id=user.pk).order_by("-last_seen_at"):
        if _ended(record, now) or record.generation != user.session_token:
            record.delete()
        else:
            live.append(record)
    return live


def end_own(user, session_id):
    """End one of `user`'s own sign-ins by its id (the account page); NotFound for anyone else's."""
    record = AuthSession.objects(pk=session_id, user_id=user.pk).first() if _is_id(session_id) else None
    if record is None:
        raise NotFound(_("This session has already ended."))
    record.delete()
    return record


def end_others(user):
    """End every sign-in of `user` but the current one; returns how many ended."""
    keep = getattr(user.auth_session, "pk", None)
    return AuthSession.objects(user_id=user.pk, id__ne=keep).delete()


def _is_id(value):
    return isinstance(value, str) and re.fullmatch(r"[0-9a-f]{24}", value) is not None


def describe_agent(agent):
    """A short name for a User-Agent ("Firefox · Windows"), or the raw text cut short."""
    if not agent:
        return ""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, agent)), None)
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, agent)), None)
    return " · ".join(x for x in (browser, system) if x) or agent[:60]


_BROWSERS = [(r"Edg/", "Edge"), (r"OPR/", "Opera"), (r"Firefox/", "Firefox"), (r"Chrom(e|ium)/", "Chrome"),
             (r"Safari/", "Safari"), (r"^curl/", "curl"), (r"python-requests|httpx|aiohttp", "Python")]
_SYSTEMS = [(r"Android", "Android"), (r"iPhone|iPad", "iOS"), (r"Windows", "Windows"), (r"Mac OS X", "macOS"),
            (r"CrOS", "ChromeOS"), (r"Linux", "Linux")]
