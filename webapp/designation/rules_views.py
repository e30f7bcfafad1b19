"""The rules page: the cumul rules with their sources, the indemnity scale and the representation caps in
force with their history. Every élu of the mandate reads it; the coordination and the assemblies service
change it. Same blueprint as the wishes; thin handlers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.errors import DomainError
from webapp.core.forms import typed, use_form
from webapp.designation import rules, service
from webapp.designation.indemnities import LEVELS
from webapp.designation.schemas import ROLE_CODES, CumulRuleIn, RuleToggleIn, ScaleIn
from webapp.designation.views import bp, euros
from webapp.extensions import db
from webapp.organisation import policy as organisation_policy
from webapp.organisation import service as organisation
from webapp.organisation.models import BODY_KINDS


def _mandate():
    return organisation.organisation_mandate() or abort(404)


def _page(errors: dict | None = None, form: str | None = None, status: int = 200):
    mandate = _mandate()
    editor = organisation_policy.can_draft(current_user, mandate)
    if not editor and service.term_of(current_user) is None:
        abort(403)
    return render_template(
        "designation/rules.html", mandate=mandate, rules=rules.rules(mandate), describe=rules.describe,
        scale=rules.scale(mandate), caps=rules.caps(mandate), base=rules.parliamentary_base(mandate),
        versions=rules.versions(mandate), levels=LEVELS, roles=ROLE_CODES, body_kinds=BODY_KINDS,
        editor=editor, euros=euros, errors=errors or {}, failed_form=form,
        values=typed() if errors else {}), status


def _done(form: str, action, message: str):
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        if exc.status == 403:
            abort(403)
        return _page({**exc.fields, "form": [exc.message]}, form, 422)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("designation.rules_page"))


@bp.get("/rules")
@login_required
def rules_page():
    return _page()


@bp.post("/rules")
@login_required
@use_form(CumulRuleIn, on_error=lambda errors, **kw: _page(errors, "rule")[0])
def add_rule(data):
    return _done("rule", lambda: rules.add_rule(current_user, _mandate(), data), _("Règle ajoutée."))


@bp.post("/rules/active")
@login_required
@use_form(RuleToggleIn, on_error=lambda errors, **kw: _page(errors, "toggle")[0])
def toggle_rule(data):
    return _done("toggle", lambda: rules.set_active(current_user, _mandate(), data["label"], data["active"]),
                 _("Règle appliquée.") if data["active"] else _("Règle écartée."))


@bp.post("/scale")
@login_required
@use_form(ScaleIn, on_error=lambda errors, **kw: _page(errors, "scale")[0])
def record_scale(data):
    return _done("scale", lambda: rules.record_scale(current_user, _mandate(), data),
                 _("Barème et plafonds enregistrés ; l’ancienne version reste dans l’historique."))
