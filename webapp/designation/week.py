"""The installation week's page: every élu of the mandate reads it; the coordination and the assemblies
service compute it from the election date and move its steps. Same blueprint as the wishes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.errors import DomainError
from webapp.core.forms import typed, use_form
from webapp.designation import calendar, service, steps
from webapp.designation.schemas import ElectionIn, WeekIn
from webapp.designation.views import bp
from webapp.extensions import db
from webapp.organisation import policy as organisation_policy
from webapp.organisation import service as organisation


def _page(errors: dict | None = None, status: int = 200):
    mandate = organisation.organisation_mandate() or abort(404)
    editor = organisation_policy.can_draft(current_user, mandate)
    if not editor and service.term_of(current_user) is None:
        abort(403)
    return render_template("designation/calendar.html", mandate=mandate, week=calendar.week(mandate),
                           steps=calendar.steps(mandate), shown=steps.shown(mandate), editor=editor,
                           errors=errors or {}, values=typed() if errors else {}), status


def _done(action):
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        return _page({**exc.fields, "form": [exc.message]}, exc.status)
    db.session.commit()
    flash(_("Calendrier enregistré."), "success")
    return redirect(url_for("designation.calendar_page"))


@bp.get("/calendar")
@login_required
def calendar_page():
    return _page()


@bp.post("/calendar/election")
@login_required
@use_form(ElectionIn, on_error=lambda errors, **kw: _page(errors)[0])
def election(data):
    mandate = organisation.organisation_mandate() or abort(404)
    return _done(lambda: calendar.set_election(current_user, mandate, data["election_on"]))


@bp.post("/calendar")
@login_required
@use_form(WeekIn, on_error=lambda errors, **kw: _page(errors)[0])
def edit_week(data):
    mandate = organisation.organisation_mandate() or abort(404)
    return _done(lambda: calendar.edit(current_user, mandate, data))
