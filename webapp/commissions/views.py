"""HTML pages of the bilan de commission: aperçus (form, phone view, one-page print view), the two
commission spaces, templates, the bilan session and activity reports.

Plain POST forms calling the service; a refusal re-renders the page with its message and status.
"""

from __future__ import annotations

import functools
import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts.models import Commission, OrgUnit, PoliticalGroup
from webapp.accounts.roles import current_mandate
from webapp.commissions import policy, service
from webapp.commissions.models import COMMENT_KINDS, ActivityReport, ApercuComment
from webapp.commissions.schemas import (
    ApercuForm,
    CommentEditForm,
    CommentForm,
    RankForm,
    ReportForm,
    ScaleForm,
    SelectionForm,
    TemplateForm,
)
from webapp.core.errors import DomainError
from webapp.core.forms import commits, read_form, refusal_errors, use_form
from webapp.extensions import db

bp = Blueprint("commissions", __name__)

KIND_LABELS = {"comment": "Commentaire", "opinion": "Avis", "problem": "Problème rencontré",
               "interference": "Croisement ou interférence avec une autre politique"}
STATUS_LABELS = {"draft": "Brouillon", "submitted": "Soumis à la commission"}


@bp.app_context_processor
def _labels():
    return {"comment_kind_label": lambda k: _(KIND_LABELS.get(k, k)),
            "apercu_status_label": lambda s: _(STATUS_LABELS.get(s, s)), "human_size": service.human_size}


def _get(model, object_id):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _apercu_or_404(apercu_id):
    apercu = service.get_apercu(apercu_id)
    if apercu is None:
        abort(404)
    if not policy.can_view_apercu(current_user, apercu):
        abort(403)
    return apercu


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


# --- lists ------------------------------------------------------------------------------------------

@bp.get("/commissions")
@login_required
def index():
    commissions = service.current_commissions()
    mine = [c for c in commissions if policy.is_member(current_user, c)]
    return render_template("commissions/index.html", commissions=commissions, mine=mine,
                           unit_apercus=service.unit_apercus(current_user.unit) if policy.can_create_apercu(
                               current_user) else [],
                           can_create=policy.can_create_apercu(current_user),
                           can_edit_base=policy.can_edit_template(current_user, None),
                           can_edit_unit=current_user.unit is not None and policy.can_edit_template(
                               current_user, current_user.unit) and current_user.unit.kind != "assemblies",
                           sees_reports=policy.can_list_reports(current_user))


@bp.get("/commissions/<uuid:commission_id>")
@login_required
def commission(commission_id):
    commission = _get(Commission, commission_id)
    return render_template("commissions/commission.html", commission=commission,
                           apercus=service.commission_apercus(commission),
                           session=service.session_of(commission))


# --- aperçus ----------------------------------------------------------------------------------------

def _rows(form: dict, prefix: str, keys: tuple[str, ...]) -> list[dict]:
    """The columns of one table of the form, row by row (the service drops the empty rows)."""
    columns = [form[f"{prefix}_{k}"] for k in keys]
    return [dict(zip(keys, values, strict=False)) for values in zip(*columns, strict=False)]


def _form_data(unit: OrgUnit) -> dict:
    form = read_form(ApercuForm)
    data = {name: form[name] for name in ("title", *service.TEXT_FIELDS)}
    data["commission_id"] = form["commission_id"]
    data["people"] = _rows(form, "people", ("name", "role", "contact"))
    data["chronology"] = _rows(form, "chrono", ("when", "what"))
    data["key_figures"] = _rows(form, "figure", ("label", "value", "unit", "date"))
    data["extra"] = {f["key"]: form["extra"].get(f["key"], "") for f in service.template_for(unit).extra_fields}
    return data


def _values(apercu, unit) -> dict:
    """What the form shows: what was just typed after a refusal, else the stored aperçu."""
    if request.method == "POST":
        return _form_data(unit)
    if apercu is None:
        return {"people": [], "chronology": [], "key_figures": [], "extra": {}, "commission_id": None}
    return {"title": apercu.title, **{n: getattr(apercu, n) for n in service.TEXT_FIELDS},
            "commission_id": str(apercu.commission_id) if apercu.commission_id else None,
            "people": apercu.people, "chronology": apercu.chronology, "key_figures": apercu.key_figures,
            "extra": {e["key"]: e["value"] for e in apercu.extra}}


def _render_form(apercu, unit, errors=None, status=200):
    return render_template("commissions/apercu_form.html", apercu=apercu, unit=unit, v=_values(apercu, unit),
                           template=service.template_for(unit), commissions=service.current_commissions(),
                           errors=errors or {}), status


def _new_refused(exc: DomainError):
    return _render_form(None, current_user.unit, refusal_errors(exc), exc.status)[0]


def _edit_refused(exc: DomainError, apercu_id):
    apercu = _apercu_or_404(apercu_id)
    return _render_form(apercu, apercu.unit, refusal_errors(exc), exc.status)[0]


@bp.get("/apercus/new")
@login_required
def new_apercu():
    _require(policy.can_create_apercu(current_user))
    return _render_form(None, current_user.unit)


def _create(submit: bool):
    _require(policy.can_create_apercu(current_user))
    apercu = service.create_apercu(current_user, _form_data(current_user.unit))
    if submit:
        service.submit_apercu(current_user, apercu)
    db.session.commit()
    flash(_("Aperçu enregistré."), "success")
    return redirect(url_for("commissions.show_apercu", apercu_id=apercu.id))


@bp.post("/apercus/new")
@login_required
@commits(_new_refused)
def create_apercu():
    return _create(submit=False)


@bp.post("/apercus/new/submit")
@login_required
@commits(_new_refused)
def create_and_submit_apercu():
    return _create(submit=True)


@bp.get("/apercus/<uuid:apercu_id>/edit")
@login_required
def edit_apercu(apercu_id):
    apercu = _apercu_or_404(apercu_id)
    _require(policy.can_edit_apercu(current_user, apercu))
    return _render_form(apercu, apercu.unit)


def _update(apercu_id, submit: bool):
    apercu = _apercu_or_404(apercu_id)
    _require(policy.can_edit_apercu(current_user, apercu))
    service.update_apercu(current_user, apercu, _form_data(apercu.unit))
    submitted = submit and apercu.status == "draft"
    if submitted:
        service.submit_apercu(current_user, apercu)
    db.session.commit()
    flash(_("Aperçu soumis à la commission.") if submitted and apercu.status == "submitted"
          else _("Aperçu enregistré."), "success")
    return redirect(url_for("commissions.show_apercu", apercu_id=apercu.id))


@bp.post("/apercus/<uuid:apercu_id>/edit")
@login_required
@commits(_edit_refused)
def update_apercu(apercu_id):
    return _update(apercu_id, submit=False)


@bp.post("/apercus/<uuid:apercu_id>/submit")
@login_required
@commits(_edit_refused)
def update_and_submit_apercu(apercu_id):
    return _update(apercu_id, submit=True)


def _render_apercu(apercu, errors=None, status=200):
    return render_template(
        "commissions/apercu.html", apercu=apercu, template=service.template_for(apercu.unit), errors=errors or {},
        spaces={s: service.space_comments(apercu, s) for s in ("elus", "agents")},
        can_write={s: policy.can_write_space(current_user, apercu, s) for s in ("elus", "agents")},
        can_edit=policy.can_edit_apercu(current_user, apercu), kinds=COMMENT_KINDS,
        attachments=apercu.attachments if policy.can_view_attachments(current_user, apercu) else [],
        can_edit_comment=lambda c: policy.can_edit_comment(current_user, c)), status


@bp.get("/apercus/<uuid:apercu_id>")
@login_required
def show_apercu(apercu_id):
    return _render_apercu(_apercu_or_404(apercu_id))


@bp.get("/apercus/<uuid:apercu_id>/attachments/<uuid:attachment_id>")
@login_required
def apercu_attachment(apercu_id, attachment_id):
    import io

    apercu = _apercu_or_404(apercu_id)
    _require(policy.can_view_attachments(current_user, apercu))
    attachment = next((a for a in apercu.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    return send_file(io.BytesIO(attachment.content), mimetype="application/pdf", as_attachment=True,
                     download_name=attachment.filename)


@bp.get("/apercus/<uuid:apercu_id>/print")
@login_required
def print_apercu(apercu_id):
    apercu = _apercu_or_404(apercu_id)
    return render_template("commissions/apercu_print.html", apercu=apercu, template=service.template_for(apercu.unit))


@bp.post("/apercus/<uuid:apercu_id>/submit")
@login_required
def submit_apercu(apercu_id):
    apercu = _apercu_or_404(apercu_id)
    _require(policy.can_edit_apercu(current_user, apercu))  # submitted meanwhile: 409 from the service
    try:
        service.submit_apercu(current_user, apercu)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _render_apercu(_apercu_or_404(apercu_id), {"message": exc.message, **exc.fields}, exc.status)
    flash(_("Aperçu soumis à la commission."), "success")
    return redirect(url_for("commissions.show_apercu", apercu_id=apercu_id))


@bp.post("/apercus/<uuid:apercu_id>/comments")
@login_required
def add_comment(apercu_id):
    apercu = _apercu_or_404(apercu_id)
    form = read_form(CommentForm)
    space = form["space"]
    _require(policy.can_write_space(current_user, apercu, space))
    try:
        service.add_comment(current_user, apercu, space, form["kind"], form["body"], form["link_url"],
                            form["link_title"])
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _render_apercu(_apercu_or_404(apercu_id), {"message": exc.message, "space": space, **exc.fields},
                              exc.status)
    flash(_("Contribution enregistrée."), "success")
    return redirect(url_for("commissions.show_apercu", apercu_id=apercu_id, _anchor=f"space-{space}"))


@bp.post("/apercus/comments/<uuid:comment_id>")
@login_required
def edit_comment(comment_id):
    comment = _get(ApercuComment, comment_id)
    _apercu_or_404(comment.apercu_id)
    _require(policy.can_edit_comment(current_user, comment))
    apercu_id = comment.apercu_id
    try:
        form = read_form(CommentEditForm)
        service.update_comment(current_user, comment, form["body"], form["kind"])
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _render_apercu(_apercu_or_404(apercu_id), {"message": exc.message, **exc.fields}, exc.status)
    flash(_("Contribution modifiée."), "success")
    return redirect(url_for("commissions.show_apercu", apercu_id=apercu_id))


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


# --- bilan session ----------------------------------------------------------------------------------

def _group(group_id) -> PoliticalGroup | None:
    try:
        return db.session.get(PoliticalGroup, uuid.UUID(group_id)) if group_id else None
    except ValueError:
        return None


def _render_bilan(commission, errors=None, status=200):
    session = service.session_of(commission)
    groups = policy.my_groups(current_user, commission)
    own, group_selections = service.selections_of(commission, adopted_only=False)
    return render_template(
        "commissions/bilan.html", commission=commission, session=session,
        rows=service.ranking_table(session, commission), projects=service.commission_apercus(commission),
        own=service.selection(session), own_view=own, group_selections=group_selections,
        my_groups=[(g, service.selection(session, g)) for g in groups],
        can_run=policy.can_run_session(current_user, commission), errors=errors or {}), status


@bp.get("/commissions/<uuid:commission_id>/bilan")
@login_required
def bilan(commission_id):
    commission = _get(Commission, commission_id)
    _require(policy.can_view_session(current_user, commission))
    return _render_bilan(commission)


def _bilan_refused(exc: DomainError, commission_id):
    return _render_bilan(_get(Commission, commission_id), refusal_errors(exc), exc.status)[0]


def _bilan_invalid(errors: dict, commission_id):
    errors = {"message": _("Vérifiez les champs signalés."), **errors}
    return _render_bilan(_get(Commission, commission_id), errors, 422)[0]


def _bilan_action(schema=None):
    """A form of the bilan page: people who see the session, read by ``schema``, refusals shown on the page."""

    def decorate(view):
        inner = commits(_bilan_refused)(view)
        inner = use_form(schema, on_error=_bilan_invalid)(inner) if schema else functools.partial(inner, None)

        @functools.wraps(view)
        def wrapper(commission_id):
            _require(policy.can_view_session(current_user, _get(Commission, commission_id)))
            return inner(commission_id=commission_id)

        return login_required(wrapper)

    return decorate


def _bilan_done(commission: Commission, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("commissions.bilan", commission_id=commission.id))


def _run_session(commission_id) -> Commission:
    commission = _get(Commission, commission_id)
    _require(policy.can_run_session(current_user, commission))
    return commission


@bp.post("/commissions/<uuid:commission_id>/bilan/echelle")
@_bilan_action(ScaleForm)
def bilan_scale(data, commission_id):
    commission = _run_session(commission_id)
    service.set_scale(current_user, commission, data["scale"].splitlines())
    return _bilan_done(commission, _("Enregistré."))


@bp.post("/commissions/<uuid:commission_id>/bilan/classement")
@_bilan_action(RankForm)
def bilan_rank(data, commission_id):
    commission = _run_session(commission_id)
    levels = dict(choice.partition(":")[::2] for choice in data["levels"])
    service.rank(current_user, commission, levels)
    return _bilan_done(commission, _("Enregistré."))


@bp.post("/commissions/<uuid:commission_id>/bilan/selection")
@_bilan_action(SelectionForm)
def bilan_selection(data, commission_id):
    commission = _get(Commission, commission_id)
    group = _group(data["group_id"])
    if data["group_id"]:
        _require(group is not None and policy.can_write_group_selection(current_user, commission, group))
    else:
        _require(policy.can_run_session(current_user, commission))
    service.save_selection(current_user, commission, data["proud"], data["challenge"], group)
    return _bilan_done(commission, _("Enregistré."))


@bp.post("/commissions/<uuid:commission_id>/bilan/adoption")
@_bilan_action()
def bilan_adopt(_data, commission_id):
    commission = _run_session(commission_id)
    service.adopt(current_user, commission)
    return _bilan_done(commission, _("Bilan adopté : il est désormais verrouillé."))


# --- activity reports -------------------------------------------------------------------------------

@bp.route("/commissions/rapports", methods=["GET", "POST"])
@login_required
def reports():
    unit = current_user.unit
    can_upload = policy.can_upload_report(current_user, unit) and not policy.is_assemblies(current_user)
    if not (can_upload or policy.can_list_reports(current_user)):
        abort(403)
    error = None
    if request.method == "POST":
        _require(can_upload)
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise DomainError(_("Choisissez un fichier PDF."), fields={"file": [_("Obligatoire.")]}, status=422)
            with upload.stream as stream:  # closed at once: a large upload is spooled to a temporary file
                data = stream.read(service.activity_reports.MAX_REPORT_BYTES + 1)
            service.upload_report(current_user, unit, current_mandate(), read_form(ReportForm)["title"],
                                  upload.filename, data)
            db.session.commit()
            flash(_("Rapport d’activité remis au service des assemblées."), "success")
            return redirect(url_for("commissions.reports"))
        except DomainError as exc:
            db.session.rollback()
            error = exc
    listed = service.reports() if policy.can_list_reports(current_user) else service.reports(unit)
    return render_template("commissions/reports.html", reports=listed, can_upload=can_upload,
                           error=error, max_size=service.human_size(service.activity_reports.MAX_REPORT_BYTES)), (
        error.status if error else 200)


@bp.get("/commissions/rapports/<uuid:report_id>")
@login_required
def report_file(report_id):
    report = _get(ActivityReport, report_id)
    _require(policy.can_view_report(current_user, report))
    import io

    return send_file(io.BytesIO(report.content), mimetype="application/pdf", as_attachment=True,
                     download_name=report.filename)
