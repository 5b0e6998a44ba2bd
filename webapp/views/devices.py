"""Device tokens (admins only): a door scanner or a kiosk gets a named API token with a role, never a password."""
from flask import Blueprint, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..forms.auth import DeviceForm
from ..security import recent_sign_in_required, roles_required
from ..services import devices as device_service
from .helpers import render, submit

bp = Blueprint("devices", __name__, url_prefix="/admin/devices")

recent_sign_in = recent_sign_in_required(_l("Confirm your password to change staff accounts or devices."),
                                         lambda **kw: url_for("devices.index"))


def _page(form=None, created=None, status=200, notice=None):
    page = render("admin/devices.html", "admin/_devices.html", form=form or DeviceForm(formdata=None),
                  devices=device_service.list_devices(), created=created, notice=notice, status=status)
    # The new token is in this answer once: no cache or back button may keep it.
    return page[0], page[1], {"Cache-Control": "no-store"}


@bp.route("/")
@roles_required("admin")
def index():
    """The devices with their token's use, and the form for a new one."""
    return _page()


@bp.route("/", methods=["POST"])
@roles_required("admin")
@recent_sign_in
def create():
    """Make a device and its token; the token is shown on this answer only."""
    form = DeviceForm()
    created, status = submit(form, lambda: device_service.create_device(current_user, form.name.data,
                                                                         form.role.data))
    return _page(None if created else form, created, 201 if created else status)


@bp.route("/<device_id>/revoke", methods=["POST"])
@roles_required("admin")
@recent_sign_in
def revoke(device_id):
    """Revoke a device's token now (a lost scanner, a kiosk taken away)."""
    device = device_service.revoke_device(current_user, device_id)
    return _page(notice=_("Token of %(name)s revoked.", name=device.name))
