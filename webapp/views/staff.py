"""Administration of staff accounts (admins only)."""
from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..forms.auth import PasswordResetForm, UserForm
from ..models import User
from ..security import recent_sign_in_required, roles_required
from ..services import ServiceError
from ..services import users as user_service
from .helpers import go, render, submit

bp = Blueprint("staff", __name__, url_prefix="/admin/staff")

# Every change to an account needs the admin's password typed within the last few minutes.
recent_sign_in = recent_sign_in_required(
    _l("Confirm your password to change staff accounts or devices."),
    lambda **kw: request.path if request.endpoint in ("staff.create", "staff.edit") else url_for("staff.index"))


def _list(**context):
    users = User.objects(kind__ne="device").order_by("username")  # devices have their own page
    return render("admin/staff.html", "admin/_staff_table.html", users=users,
                  may_deactivate=lambda user: user_service.may_deactivate(current_user, user), **context)


@bp.route("/")
@roles_required("admin")
def index():
    """All staff accounts, with their roles and state."""
    return _list()


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
@recent_sign_in
def create():
    """Create a staff account."""
    form = UserForm()
    created, status = submit(form, lambda: user_service.create_user(
        current_user, username=form.username.data, name=form.name.data, password=form.password.data,
        roles=form.roles.data, locale=form.locale.data, comp_allowance=form.comp_allowance.data))
    if created:
        flash(_("Account %(username)s created.", username=created.username), "success")
        return go(url_for("staff.index"))
    return render("admin/staff_form.html", "admin/_staff_form.html", form=form, user=None, status=status)


@bp.route("/<user_id>", methods=["GET", "POST"])
@roles_required("admin")
@recent_sign_in
def edit(user_id):
    """Edit a staff account's name, roles, language and comp allowance."""
    user = user_service.get_user(user_id)
    form = UserForm(obj=user)
    form.username.data = user.username  # the username never changes
    saved, status = submit(form, lambda: user_service.update_user(
        current_user, user, name=form.name.data, roles=form.roles.data, locale=form.locale.data,
        comp_allowance=form.comp_allowance.data))
    if saved:
        flash(_("Account “%(username)s” saved.", username=user.username), "success")
        return go(url_for("staff.index"))
    return render("admin/staff_form.html", "admin/_staff_form.html", form=form, user=user,
                  reset_form=PasswordResetForm(), status=status)


@bp.route("/<user_id>/active", methods=["POST"])
@roles_required("admin")
@recent_sign_in
def toggle_active(user_id):
    """Deactivate (ending its sessions) or reactivate an account."""
    user = user_service.get_user(user_id)
    try:
        user_service.set_active(current_user, user, request.form.get("active") == "1")
    except ServiceError as exc:
        return _list(error=exc.message, status=exc.status)
    return _list()


@bp.route("/<user_id>/unlock", methods=["POST"])
@roles_required("admin")
@recent_sign_in
def unlock(user_id):
    """Unlock an account locked after failed logins."""
    user_service.unlock(current_user, user_service.get_user(user_id))
    return _list()


@bp.route("/<user_id>/password", methods=["POST"])
@roles_required("admin")
@recent_sign_in
def reset_password(user_id):
    """Set a new password for someone (their sessions end)."""
    user = user_service.get_user(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            user_service.set_password(current_user, user, form.password.data)
        except ServiceError as exc:
            form.password.errors.append(exc.message)
        else:
            flash(_("New password set for %(username)s.", username=user.username), "success")
            return go(url_for("staff.index"))
    return render("admin/staff_form.html", form=UserForm(obj=user), user=user, reset_form=form, status=400)
