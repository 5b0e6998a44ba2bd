"""One's own account: the sessions and API tokens signed in as oneself, each of which can be ended here."""
from flask import Blueprint, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ..models import ROLES
from ..security import roles_required
from ..services import sessions
from .helpers import go, render

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(notice=None):
    user = current_user._get_current_object()
    return render("account/index.html", "account/_sessions.html", notice=notice, records=sessions.active_for(user),
                  current_id=user.auth_session.pk, describe_agent=sessions.describe_agent)


def _done(notice):
    """The refreshed list for HTMX; without it, back to the page with the notice."""
    if request.htmx:
        return _page(notice=notice)
    flash(notice, "success")
    return go(url_for("account.index"))


@bp.route("/")
@roles_required(*ROLES)
def index():
    """The account page: where and when one is signed in (browsers and API tokens)."""
    return _page()


@bp.route("/sessions/<session_id>/end", methods=["POST"])
@roles_required(*ROLES)
def end_session(session_id):
    """End one of one's own sessions or tokens; ending this very one signs out here."""
    user = current_user._get_current_object()
    ended = sessions.end_own(user, session_id)
    if ended.pk != user.auth_session.pk:
        return _done(_("Session ended."))
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return go(url_for("auth.login"))


@bp.route("/sessions/end-others", methods=["POST"])
@roles_required(*ROLES)
def end_others():
    """End every other session and token of one's own (a phone left signed in, a forgotten counter)."""
    count = sessions.end_others(current_user._get_current_object())
    return _done(_("Other sessions ended: %(n)d.", n=count))
