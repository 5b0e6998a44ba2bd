"""Password hashing with argon2id, and the rules a new password must meet."""
import re
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from . import ServiceError

MIN_LENGTH = 8
MAX_LENGTH = 128
NAME_PART_MIN = 3  # shorter pieces of a name ("da", "de") would refuse half the dictionary


def _hasher():
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_KIB"])


def hash_password(password):
    return _hasher().hash(password)


def verify_password(password_hash, password):
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=4)
def _dummy_hash(time_cost, memory_cost):
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost).hash(secrets.token_urlsafe(24))


def dummy_hash():
    """A hash of a random secret at today's cost: a sign-in for nobody verifies against it, so it costs the
    same one argon2 run as a sign-in for somebody (create_app makes it, so no request pays for it)."""
    cfg = current_app.config
    return _dummy_hash(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_KIB"])


@lru_cache(maxsize=1)
def common_passwords():
    """The 30,000 most used passwords (zxcvbn's list, from leaked password sets), lower-cased."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p for p in FREQUENCY_LISTS["passwords"] if len(p) >= MIN_LENGTH)


def _personal_words(username, name):
    words = {(username or "").lower()} | {w for w in re.split(r"[\W_]+", (name or "").lower())}
    return {w for w in words if len(w) >= NAME_PART_MIN}


def check_new_password(password, username=None, name=None):
    """Refuse (ServiceError on `password`) what a guesser tries first: too short or long, only spaces, one of
    the commonly used passwords, or the account's own username or name inside it."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise ServiceError(_("The password must have at least %(n)d characters.", n=MIN_LENGTH), "password")
    if len(password) > MAX_LENGTH:
        raise ServiceError(_("The password must have at most %(n)d characters.", n=MAX_LENGTH), "password")
    if not password.strip():
        raise ServiceError(_("The password cannot be only spaces."), "password")
    lowered = password.strip().lower()
    if lowered in common_passwords():
        raise ServiceError(_("This password is one of the most commonly used: choose another."), "password")
    if any(word in lowered for word in _personal_words(username, name)):
        raise ServiceError(_("The password cannot contain the username or name of the account."), "password")
