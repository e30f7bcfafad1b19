"""The notification centre page: notifications, this device's push switch, and preferences."""

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.clock import to_paris, utcnow
from webapp.core.forms import read_form
from webapp.core.i18n import language, translated
from webapp.core.templating import day_words
from webapp.push import preferences, rendering, service
from webapp.push.schemas import PreferencesForm

bp = Blueprint("push", __name__)

HOURS = list(range(24))


@bp.get("/notifications")
@login_required
def centre():
    user = current_user._get_current_object()  # not the proxy: each notification's subject asks about them
    pref = preferences.of(user)
    kinds = [(kind, str(label)) for kind, label in preferences.KINDS.items()]
    items = service.recent(user)
    lang, today = language(), to_paris(utcnow()).date()  # once for the page's fifty dates
    rows = rendering.notification_rows(items, service.subjects(user, items), lambda at: _when(at, lang, today), lang)
    unread = sum(1 for n in items if n.read_at is None)
    return render_template("push/centre.html", items=items, rows=rows, unread=unread, pref=pref, kinds=kinds,
                           hour_options=rendering.hour_options)


def _when(moment, lang: str, today: date) -> str:
    """"aujourd’hui, 14:34", "hier, 09:12", "28 nov., 14:34": how one says when on a phone."""
    local = to_paris(moment)
    hour = f"{local.hour:02d}:{local.minute:02d}"
    if local.date() == today:
        return translated("aujourd’hui, %(hour)s", lang) % {"hour": hour}
    if local.date() == today - timedelta(days=1):
        return translated("hier, %(hour)s", lang) % {"hour": hour}
    return f"{day_words(lang, local.date(), 'd MMM' if local.year == today.year else 'd MMM y')}, {hour}"


@bp.before_app_request
def _read_what_is_opened():
    # Only a person's own navigation, not the service worker fetching pages ahead of time to keep them.
    if request.method == "GET" and request.headers.get("Sec-Fetch-Mode") == "navigate" \
            and current_user.is_authenticated and not request.path.startswith(("/static/", "/api/")):
        service.mark_read_at(current_user, request.path)


@bp.post("/notifications/read")
@login_required
def read_all():
    service.mark_read(current_user)
    return redirect(url_for("push.centre"))


def _hour(value: str) -> int | None:
    return int(value) if value.isdigit() and int(value) in HOURS else None


@bp.post("/notifications/preferences")
@login_required
def save_preferences():
    form = read_form(PreferencesForm)
    wanted = set(form["kinds"])
    muted = [kind for kind in preferences.KINDS if kind not in wanted]
    start, end = (_hour(form["quiet_start"]), _hour(form["quiet_end"])) if form["quiet"] else (None, None)
    if (start is None) != (end is None):
        start = end = None
    preferences.save(current_user, muted_kinds=muted, quiet_start=start, quiet_end=end)
    flash(_("Préférences enregistrées."), "success")
    return redirect(url_for("push.centre"))
