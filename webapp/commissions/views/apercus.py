"""Lists, the aperçu form, its phone and print views, attachments, and the two spaces' comments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts.models import OrgUnit
from webapp.commissions import policy, service
from webapp.commissions.models import COMMENT_KINDS, ApercuComment
from webapp.commissions.schemas import (
    ApercuForm,
    CommentEditForm,
    CommentForm,
)
from webapp.commissions.views.common import _apercu_or_404, _get, _require, bp
from webapp.core.errors import DomainError
from webapp.core.forms import commits, read_form, refusal_errors
from webapp.extensions import db
from webapp.organisation.models import Commission

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


@bp.post("/apercus/<uuid:apercu_id>/edit/submit")
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
