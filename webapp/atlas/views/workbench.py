"""The assemblies' workbench: budget import and lines, themes and codes, posters, staff representatives, PDF builds."""

from __future__ import annotations

import functools
import uuid
from pathlib import Path

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts.models import User
from webapp.accounts.service import find_by_email
from webapp.atlas import policy, service, tasks
from webapp.atlas.models import BudgetLine
from webapp.atlas.schemas import (
    CodeForm,
    ImportForm,
    LineForm,
    MandateForm,
    StaffAddForm,
    StaffRemoveForm,
    ThemeForm,
)
from webapp.atlas.views.common import _require, bp
from webapp.atlas.views.public import _build_status
from webapp.core import csvfile
from webapp.core.errors import DomainError
from webapp.core.forms import commits, refusal_errors, use_form
from webapp.extensions import db
from webapp.organisation.models import Mandate

# --- the assemblies' workbench ----------------------------------------------------------------------

def _mandate_arg(name: str = "mandate_id") -> Mandate | None:
    value = request.values.get(name, "")
    try:
        return db.session.get(Mandate, uuid.UUID(value)) if value else None
    except ValueError:
        return None


def _selected_mandate() -> Mandate | None:
    from webapp.accounts.roles import current_mandate

    return _mandate_arg() or current_mandate()


def _render_manage(errors=None, status=200, import_errors=None):
    mandate = _selected_mandate()
    return render_template(
        "atlas/manage.html", mandate=mandate, mandates=service.mandates(), themes=service.themes(),
        codes=sorted(service.code_map().items()), shares={m.id: service.shares(m) for m in service.mandates()},
        posters=service.posters(mandate) if mandate else [], build=service.latest_build(mandate) if mandate else None,
        lines=service.budget_lines(mandate)[-30:] if mandate else [], reps=service.staff_representatives(),
        errors=errors or {}, import_errors=import_errors or []), status


@bp.get("/gestion/exemple.csv")
@login_required
def sample_csv():
    """The documented sample file (webapp/atlas/sample_budget.csv)."""
    _require(policy.can_manage(current_user))
    path = Path(__file__).parent.with_name("sample_budget.csv")
    response = Response(path.read_bytes(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="exemple-budget.csv"'
    return response


@bp.get("/gestion")
@login_required
def manage():
    _require(policy.can_manage(current_user))
    return _render_manage()


def _manage_refused(exc: DomainError, **_kw):
    return _render_manage(refusal_errors(exc), exc.status)[0]


def _manage_invalid(errors: dict, **_kw):
    return _render_manage({"message": _("Champ obligatoire."), **errors}, 422)[0]


def _done(message: str, mandate_id=None):
    """Commit the action, say so, and go back to the workbench of the mandate being worked on."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("atlas.manage", mandate_id=mandate_id))


def _workbench_action(schema, on_error=_manage_invalid, on_refusal=_manage_refused):
    """The workbench's form actions: assemblies only, the form read by ``schema``, refusals re-rendered."""

    def decorate(view):
        return login_required(_managers_only(use_form(schema, on_error=on_error)(commits(on_refusal)(view))))

    return decorate


def _managers_only(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        _require(policy.can_manage(current_user))
        return view(*args, **kwargs)

    return wrapper


def _posted_mandate(data: dict) -> Mandate:
    mandate = db.session.get(Mandate, data["mandate_id"])
    if mandate is None:
        raise DomainError(_("Choisissez un mandat."), fields={"mandate_id": [_("Obligatoire.")]}, status=422)
    return mandate


def _import_refused(exc: DomainError, **_kw):
    import_errors = [(k, v[0]) for k, v in exc.fields.items()]
    return _render_manage({"message": exc.message, "action": "import", **exc.fields}, exc.status, import_errors)[0]


@bp.post("/gestion/import")
@_workbench_action(ImportForm, on_refusal=_import_refused)
def manage_import(data):
    upload = request.files.get("file")
    text = csvfile.decode(upload.read()) if upload and upload.filename else data["csv"]
    result = service.import_budget_csv(current_user, text)
    return _done(_("%(n)d lignes de budget importées.", n=len(result.lines)), data["mandate_id"])


@bp.post("/gestion/lignes")
@_workbench_action(LineForm)
def manage_line(data):
    mandate = _posted_mandate(data)
    theme = service.find_theme(data["theme"])
    if theme is None:
        raise DomainError(_("Choisissez un thème et une année."), fields={"theme": [_("Obligatoire.")]}, status=422)
    service.add_line(current_user, mandate, data["year"], theme, data["amount"])
    return _done(_("Montant enregistré."), mandate.id)


@bp.post("/gestion/themes")
@_workbench_action(ThemeForm)
def manage_theme(data):
    theme = service.get_or_create_theme(data["name"].strip(), len(service.themes()))
    return _done(_("Thème « %(t)s » enregistré.", t=theme.name), _mandate_arg())


@bp.post("/gestion/codes")
@_workbench_action(CodeForm)
def manage_code(data):
    theme = service.find_theme(data["theme"])
    if theme is None:
        raise DomainError(_("Thème inconnu."), fields={"theme": [_("Thème inconnu.")]}, status=422)
    service.map_code(current_user, data["code"], theme, data["label"])
    return _done(_("Code fonctionnel rattaché."), _mandate_arg())


@bp.post("/gestion/affiches")
@_workbench_action(MandateForm)
def manage_posters(data):
    mandate = _posted_mandate(data)
    service.ensure_posters(current_user, mandate)
    return _done(_("Affiches créées pour chaque thème."), mandate.id)


@bp.post("/gestion/representants")
@_workbench_action(StaffAddForm)
def manage_staff_add(data):
    user = find_by_email(data["email"])
    if user is None:
        raise DomainError(_("Aucun compte avec cette adresse."), fields={"email": [_("Inconnue.")]}, status=422)
    service.add_staff_representative(current_user, user, data["organisation"])
    return _done(_("Représentant·e du personnel ajouté·e."), _mandate_arg())


@bp.post("/gestion/representants/retirer")
@_workbench_action(StaffRemoveForm, on_error=lambda errors, **_kw: abort(400))
def manage_staff_remove(data):
    user = db.session.get(User, data["user_id"]) or abort(404)
    service.remove_staff_representative(current_user, user)
    return _done(_("Représentant·e du personnel retiré·e."), _mandate_arg())


@bp.post("/gestion/lignes/<uuid:line_id>/supprimer")
@login_required
def delete_line(line_id):
    line = db.session.get(BudgetLine, line_id) or abort(404)
    _require(policy.can_manage(current_user))
    mandate_id = line.mandate_id
    service.delete_line(current_user, line)
    db.session.commit()
    flash(_("Ligne supprimée."), "success")
    return redirect(url_for("atlas.manage", mandate_id=mandate_id))


@bp.post("/gestion/pdf")
@_workbench_action(MandateForm)
def build_pdf(data):
    mandate = _posted_mandate(data)
    build = service.request_build(current_user, mandate)
    # Committed before it is queued: the worker reads the build row from its own session.
    db.session.commit()
    tasks.build_atlas_pdf(str(build.id))
    flash(_("Fabrication du PDF lancée."), "success")
    return redirect(url_for("atlas.manage", mandate_id=build.mandate_id, _anchor="pdf"))


@bp.get("/gestion/pdf/<uuid:build_id>.json")
@login_required
def build_status(build_id):
    _require(policy.can_manage(current_user))
    return jsonify(_build_status(service.get_build(build_id) or abort(404)))


@bp.get("/gestion/pdf/<uuid:build_id>.pdf")
@login_required
def build_file(build_id):
    _require(policy.can_manage(current_user))
    build = service.get_build(build_id)
    if build is None or build.status != "done":
        abort(404)
    return Response(build.pdf, mimetype="application/pdf")
