"""Home (the dashboard shell) and the language switch."""
from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_login import current_user

from ..security import roles_required
from ..services.shifts import current_shift
from ..services.users import set_locale
from .helpers import render, safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@roles_required("admin", "manager", "seller", "door")
def home():
    """Each role's starting point (managers and admins: the dashboard; sellers see whether their drawer is open)."""
    if current_user.has_role("manager"):
        from .dashboard import dashboard_page

        return dashboard_page()
    seller = current_user.has_role("seller")
    return render("main/home.html", seller=seller, shift=current_shift(current_user) if seller else None)


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language (kept on the account when signed in)."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            set_locale(current_user, locale)
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))
