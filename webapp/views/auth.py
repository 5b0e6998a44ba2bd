"""Sign in, sign out, re-authentication and one's own password."""
from flask import Blueprint, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import confirm_login, current_user, login_required, login_user, logout_user

from ..forms.auth import LoginForm, PasswordChangeForm, ReauthForm
from ..models import ROLES
from ..security import login_throttled, roles_required
from ..services import ServiceError, sessions
from ..services import users as user_service
from .helpers import render, safe_next, wants_json

bp = Blueprint("auth", __name__)


def unauthorized_response():
    """Anonymous visitor: JSON 401 for the API, an HTMX redirect, or the login page."""
    if wants_json():
        return jsonify(error=_("Please sign in."), fields={}), 401, {"WWW-Authenticate": "Bearer"}
    login_url = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.htmx:
        return "", 401, {"HX-Redirect": login_url}
    return redirect(login_url)


def sign_in(user):
    """Start a new sign-in of `user` for this browser: a fresh cookie session holding only its own secret."""
    sessions.start(user, "web", ip=request.remote_addr, agent=request.user_agent.string)
    session.clear()  # nothing from before the sign-in survives it
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@login_throttled
def login():
    """Sign-in page; every failure gets the same answer, and wrong passwords count toward a short lockout."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        try:
            user = user_service.authenticate(form.username.data, form.password.data)
        except ServiceError as exc:
            form.password.errors.append(exc.message)
            status = exc.status
        else:
            sign_in(user)
            return redirect(safe_next(form.next.data, url_for("main.home")))
    elif form.is_submitted():
        status = 400
    return render("auth/login.html", form=form, status=status)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out: this sign-in ends (its cookie stops working anywhere); the user's others go on."""
    sessions.end(current_user.auth_session)
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
@login_throttled
def reauthenticate():
    """Confirm the password again before a sensitive action (refunds, overrides, staff changes)."""
    form = ReauthForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:  # as on the login page: wrong guesses count toward the lockout (an open session is no oracle)
            user_service.authenticate(current_user.username, form.password.data)
        except ServiceError:
            form.password.errors.append(_("Wrong password. After several wrong attempts, wait a few minutes and "
                                          "try again."))
        else:
            sessions.confirm(current_user.auth_session)
            confirm_login()
            return redirect(safe_next(form.next.data, url_for("main.home")))
    return render("auth/reauthenticate.html", form=form, status=400 if form.is_submitted() else 200)


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(*ROLES)
@login_throttled
def change_password():
    """Change one's own password; every session and token ends, and this browser signs in anew."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user = user_service.change_own_password(current_user._get_current_object(), form.current_password.data,
                                                    form.new_password.data)
        except ServiceError as exc:
            # The rules name the new password "password"; only the current one is checked separately.
            (form.current_password if exc.field == "current_password" else form.new_password).errors.append(exc.message)
        else:
            sign_in(user)
            flash(_("Password changed."), "success")
            return redirect(url_for("account.index"))
    return render("auth/password.html", form=form, status=400 if form.is_submitted() else 200)
