"""Devices (a door scanner, a kiosk): accounts without a password holding one named, revocable API token, so a
device never holds a person's password. An admin makes them with a role; revoking ends the token at once."""
import secrets

from bson import ObjectId
from flask_babel import gettext as _

from ..models import AuthSession, User
from ..models.base import utcnow
from . import NotFound, ServiceError, sessions
from .passwords import dummy_hash
from .users import commit

DEVICE_ROLES = ("door", "seller")  # never admin or manager: a device at the door or the lobby needs no more
NAME_MAX = 80


def create_device(actor, name, role):
    """A device account with `role` and its token: (device, secret). The secret is shown once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ServiceError(_("Name the device (at most %(n)d characters).", n=NAME_MAX), "name")
    if role not in DEVICE_ROLES:
        raise ServiceError(_("Choose a role for the device."), "role")
    # Its password hash is of a secret nobody holds (and sign-in refuses devices anyway).
    device = User(id=ObjectId(), kind="device", username=f"device-{secrets.token_hex(6)}", name=name, roles=[role],
                  password_hash=dummy_hash(), locale="pt_BR")
    token, record = sessions.new(device, "device", name=name, created_by=actor)
    record.validate()
    commit("device.create", actor, device, None,
           also=lambda session: AuthSession._get_collection().insert_one(record.to_mongo(), session=session))
    return device, token


def list_devices():
    """[(device, its token record or None when expired)] of the devices not revoked, by name."""
    devices = {d.pk: d for d in User.objects(kind="device", active=True).order_by("name")}
    now = utcnow()
    tokens = {t.user_id: t for t in AuthSession.objects(user_id__in=list(devices), kind="device")
              if t.expires_at > now and t.generation == devices[t.user_id].session_token}
    return [(device, tokens.get(pk)) for pk, device in devices.items()]


def revoke_device(actor, device_id):
    """Revoke a device: its token stops working now and the device cannot be used again (its history stays)."""
    device = User.objects(pk=device_id, kind="device", active=True).first() \
        if len(str(device_id)) == 24 and ObjectId.is_valid(device_id) else None
    if device is None:
        raise NotFound(_("Device not found, or already revoked."))
    device.active = False
    device.rotate_session_token()
    return commit("device.revoke", actor, device, ["active", "session_token"], end_sessions=True)
