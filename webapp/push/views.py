"""The notification centre page."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from webapp.push import service

bp = Blueprint("push", __name__)


@bp.get("/notifications")
@login_required
def centre():
    return render_template("push/centre.html", items=service.recent(current_user))


@bp.post("/notifications/read")
@login_required
def read_all():
    service.mark_read(current_user)
    return redirect(url_for("push.centre"))
