"""Editing the aperçu template (the base one, a service's own)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts.models import OrgUnit
from webapp.commissions import policy, service
from webapp.commissions.schemas import (
    TemplateForm,
)
from webapp.commissions.views.common import _get, _require, bp
from webapp.core.errors import DomainError
from webapp.core.forms import read_form
from webapp.extensions import db

# --- templates --------------------------------------------------------------------------------------

def _template_unit(unit_id):
    return _get(OrgUnit, unit_id) if unit_id else None


@bp.route("/commissions/modele", methods=["GET", "POST"])
@bp.route("/commissions/modele/<uuid:unit_id>", methods=["GET", "POST"])
@login_required
def edit_template(unit_id=None):
    unit = _template_unit(unit_id)
    _require(policy.can_edit_template(current_user, unit))
    errors: dict = {}
    if request.method == "POST":
        try:
            form = read_form(TemplateForm)
            service.save_template(
                current_user, unit, guidance=form["guidance"],
                labels={k: form["labels"].get(k, "") for k in service.DEFAULT_LABELS},
                extra_fields=service.parse_extra_fields(form["extra_fields"]))
            db.session.commit()
            flash(_("Modèle enregistré."), "success")
            return redirect(request.path)
        except DomainError as exc:
            db.session.rollback()
            errors = {"message": exc.message, **exc.fields}
    own = service.own_template(unit) if unit is not None else service.base_template()
    return render_template("commissions/template_form.html", unit=unit, own=own,
                           effective=service.template_for(unit), defaults=service.DEFAULT_LABELS,
                           errors=errors), (422 if errors else 200)
