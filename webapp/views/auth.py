"""Sign in, sign out, re-authentication and one's own password."""
from flask import Blueprint, current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import confirm_login, current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..forms.auth import LoginForm, PasswordChangeForm, ReauthForm
from ..security import roles_required
from ..services import ServiceError
from ..services import users as user_service
from .helpers import render, safe_next, wants_json

bp = Blueprint("auth", __name__)


def unauthorized_response():
    """Anonymous visitor: JSON 401 for the API, an HTMX redirect, or the login page."""
    if wants_json():
        return jsonify(error="authentication required"), 401
    login_url = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.htmx:
        return "", 401, {"HX-Redirect": login_url}
    return redirect(login_url)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    """Sign-in page; failures count toward the account's lockout."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        try:
            user = user_service.authenticate(form.username.data, form.password.data,
                                             current_app.config["LOGIN_MAX_FAILURES"])
        except ServiceError as exc:
            form.password.errors.append(exc.message)
            status = exc.status
        else:
            session.clear()  # a fresh session: nothing from before the login survives it
            login_user(user)
            return redirect(safe_next(form.next.data, url_for("main.home")))
    elif form.is_submitted():
        status = 400
    return render("auth/login.html", form=form, status=status)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out: rotates the session token so every copy of the old cookie stops working."""
    user_service.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def reauthenticate():
    """Confirm the password again before a sensitive action (refunds, overrides)."""
    form = ReauthForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:  # as on the login page: wrong guesses count toward the lockout (an open session is no oracle)
            user_service.authenticate(current_user.username, form.password.data,
                                      current_app.config["LOGIN_MAX_FAILURES"])
        except ServiceError as exc:
            form.password.errors.append(_("Wrong password.") if exc.message == _("Wrong username or password.")
                                        else exc.message)
        else:
            confirm_login()
            return redirect(safe_next(form.next.data, url_for("main.home")))
    return render("auth/reauthenticate.html", form=form, status=400 if form.is_submitted() else 200)


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required("admin", "manager", "seller", "door")
def change_password():
    """Change one's own password; other sessions end, this one continues."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user = user_service.change_own_password(current_user._get_current_object(), form.current_password.data,
                                                    form.new_password.data)
        except ServiceError as exc:
            getattr(form, exc.field or "new_password").errors.append(exc.message)
        else:
            session.clear()
            login_user(user)
            flash(_("Password changed."), "success")
            return redirect(url_for("main.home"))
    return render("auth/password.html", form=form, status=400 if form.is_submitted() else 200)
