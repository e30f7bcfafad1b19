"""HTML pages of the forum: the élu's profile (filled on the phone), opening a mandate and seating its
élus, the stands with their questions, the assemblies service's progress page, "qui fait quoi".

One route per action. Forms are read by the API's schemas (core.forms); a refusal re-renders the page
with its errors and status 422.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user

from webapp.accounts.models import OrgUnit
from webapp.accounts.schemas import ImportForm
from webapp.accounts.views import choose_password
from webapp.core import csvfile
from webapp.core.errors import DomainError
from webapp.core.forms import read_form, typed, use_form
from webapp.extensions import db
from webapp.forum import policy, service
from webapp.forum.models import DeclaredInterest, StandQuestion, Unavailability
from webapp.forum.schemas import (
    AnswerIn,
    ConsentIn,
    EluIn,
    InterestIn,
    MandateIn,
    PresentationIn,
    QuestionIn,
    StandIn,
    UnavailabilityIn,
)
from webapp.organisation.models import Elu, Mandate

bp = Blueprint("forum", __name__, url_prefix="/forum")

WEEKDAYS = (_l("lundi"), _l("mardi"), _l("mercredi"), _l("jeudi"), _l("vendredi"), _l("samedi"), _l("dimanche"))
PERIOD_LABELS = {"day": _l("toute la journée"), "morning": _l("le matin"), "afternoon": _l("l’après-midi"),
                 "hours": _l("de … à …")}
CATEGORY_LABELS = {
    "professional": _l("Activité professionnelle rémunérée (employeur)"),
    "consulting": _l("Activité de conseil"),
    "board": _l("Membre d’un organe dirigeant d’un organisme public ou privé"),
    "association": _l("Fonction bénévole ou associative"),
    "mandate": _l("Autre mandat électif"),
    "shareholding": _l("Participation financière significative"),
}
# What the élu is told about who sees each part of the profile (mirrors policy.can_see_part).
AUDIENCES = {
    "portrait": _l("vous, le service des assemblées, les élus et les agents ; le public seulement si vous y "
                   "consentez"),
    "presentation": _l("vous, le service des assemblées, les élus et les agents"),
    "constraints": _l("vous et le service des assemblées seulement (puis la désignation, pour ses alertes)"),
    "interests": _l("vous et le service des assemblées seulement (puis la désignation, pour ses alertes)"),
}


@bp.app_context_processor
def _labels():
    return {"forum_weekdays": WEEKDAYS, "forum_periods": PERIOD_LABELS, "forum_categories": CATEGORY_LABELS}


def _get(model, object_id):
    return db.session.get(model, object_id) or abort(404)


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


# --- the profile -----------------------------------------------------------------------------------------

def _render_profile(term: Elu, errors: dict | None = None, form: str | None = None):
    own_view = policy.can_edit_profile(current_user, term)
    sees = {part: policy.can_see_part(current_user, term, part) for part in policy.PARTS}
    return render_template(
        "forum/profile.html", term=term, profile=service.profile_of(term), editable=own_view, sees=sees,
        unavailabilities=service.unavailabilities(term) if sees["constraints"] else [],
        interests=service.interests(term) if sees["interests"] else [], audiences=AUDIENCES,
        errors=errors or {}, failed_form=form, values=typed() if errors else {})


def _own_term() -> Elu:
    term = service.term_of(current_user)
    if term is None:
        abort(404)
    return term


def _editable_term(elu_id) -> Elu:
    term = _get(Elu, elu_id)
    _require(policy.can_edit_profile(current_user, term))
    return term


@bp.get("/profile")
@login_required
def my_profile():
    return _render_profile(_own_term())


@bp.get("/elus/<uuid:elu_id>")
@login_required
def profile(elu_id):
    return _render_profile(_get(Elu, elu_id))


def _refused(form: str):
    return lambda errors, elu_id, **kw: _render_profile(_get(Elu, elu_id), errors, form)


def _back(term: Elu, message: str, anchor: str):
    flash(message, "success")
    if term.user_id == current_user.id:
        return redirect(url_for("forum.my_profile", _anchor=anchor))
    return redirect(url_for("forum.profile", elu_id=term.id, _anchor=anchor))


@bp.post("/elus/<uuid:elu_id>/presentation")
@login_required
@use_form(PresentationIn, on_error=_refused("presentation"))
def save_presentation(data, elu_id):
    term = _editable_term(elu_id)
    service.update_presentation(current_user, term, data)
    return _back(term, _("Présentation enregistrée."), "presentation")


@bp.post("/elus/<uuid:elu_id>/consent")
@login_required
@use_form(ConsentIn, on_error=_refused("consent"))
def save_consent(data, elu_id):
    term = _editable_term(elu_id)
    service.update_presentation(current_user, term, data)
    return _back(term, _("Choix de publication enregistré."), "portrait")


@bp.post("/elus/<uuid:elu_id>/portrait")
@login_required
def upload_portrait(elu_id):
    term = _editable_term(elu_id)
    upload = request.files.get("portrait")
    try:
        service.store_portrait(current_user, term, upload.read() if upload else b"")
    except DomainError as exc:
        db.session.rollback()
        return _render_profile(term, {"portrait": [exc.message]}, "portrait"), 422
    return _back(term, _("Portrait enregistré."), "portrait")


@bp.get("/elus/<uuid:elu_id>/portrait")
def portrait(elu_id):
    """The portrait file; the public gets it only with the élu's consent."""
    term = _get(Elu, elu_id)
    profile = service.profile_of(term)
    if profile is None or not profile.portrait_sha256:
        abort(404)
    user = current_user if current_user.is_authenticated else None
    if not policy.can_see_part(user, term, "portrait", consent=profile.consent_public):
        abort(404 if user is None else 403)
    response = send_file(service.portrait_path(profile.portrait_sha256), mimetype=profile.portrait_type,
                         etag=profile.portrait_sha256, max_age=3600)
    response.headers["Cache-Control"] = "private, max-age=3600" if user else "public, max-age=3600"
    return response


def _add_item(elu_id, add, data: dict, form: str, message: str, anchor: str):
    """Add a constraint or a declared function; a rule's refusal re-renders the profile (422)."""
    term = _editable_term(elu_id)
    try:
        add(current_user, term, data)
    except DomainError as exc:
        db.session.rollback()
        return _render_profile(term, {**exc.fields, "form": [exc.message]}, form), 422
    return _back(term, message, anchor)


def _remove_item(elu_id, model, item_id, message: str, anchor: str):
    term = _editable_term(elu_id)
    item = _get(model, item_id)
    if item.elu_id != term.id:
        abort(404)
    service.remove(current_user, item)
    return _back(term, message, anchor)


@bp.post("/elus/<uuid:elu_id>/unavailabilities")
@login_required
@use_form(UnavailabilityIn, on_error=_refused("unavailability"))
def add_unavailability(data, elu_id):
    return _add_item(elu_id, service.add_unavailability, data, "unavailability", _("Contrainte ajoutée."),
                     "constraints")


@bp.post("/elus/<uuid:elu_id>/unavailabilities/<uuid:item_id>/delete")
@login_required
def remove_unavailability(elu_id, item_id):
    return _remove_item(elu_id, Unavailability, item_id, _("Contrainte retirée."), "constraints")


@bp.post("/elus/<uuid:elu_id>/interests")
@login_required
@use_form(InterestIn, on_error=_refused("interest"))
def add_interest(data, elu_id):
    return _add_item(elu_id, service.add_interest, data, "interest", _("Fonction déclarée."), "interests")


@bp.post("/elus/<uuid:elu_id>/interests/<uuid:item_id>/delete")
@login_required
def remove_interest(elu_id, item_id):
    return _remove_item(elu_id, DeclaredInterest, item_id, _("Fonction retirée."), "interests")


# --- invitation: the first sign-in ------------------------------------------------------------------------

@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    user = service.user_from_invitation(token)
    if user is None:
        return render_template("accounts/reset_invalid.html"), 400
    done, error = choose_password(lambda password: service.accept_invitation(token, password))
    if done:
        login_user(user)
        flash(_("Bienvenue ! Complétez votre profil d’élu."), "success")
        return redirect(url_for("forum.my_profile"))
    return render_template("forum/invitation.html", user=user, error=error), (422 if error else 200)


# --- mandates and élus (the assemblies service) ----------------------------------------------------------

def _render_mandates(errors: dict | None = None):
    _require(policy.can_manage_mandates(current_user))
    mandates = db.session.scalars(db.select(Mandate).order_by(Mandate.starts_on.desc())).all()
    return render_template("forum/mandates.html", mandates=mandates, errors=errors or {},
                           values=typed() if errors else {})


@bp.get("/mandates")
@login_required
def mandates():
    return _render_mandates()


@bp.post("/mandates")
@login_required
@use_form(MandateIn, on_error=lambda errors: _render_mandates(errors))
def open_mandate(data):
    _require(policy.can_manage_mandates(current_user))
    try:
        mandate = service.open_mandate(current_user, **data)
    except DomainError as exc:
        db.session.rollback()
        return _render_mandates({**exc.fields, "form": [exc.message]}), 422
    flash(_("Mandat %(label)s ouvert : ajoutez ses élus.", label=mandate.label), "success")
    return redirect(url_for("forum.mandate", mandate_id=mandate.id))


def _render_mandate(mandate_id, errors: dict | None = None, result=None):
    _require(policy.can_manage_mandates(current_user))
    mandate = _get(Mandate, mandate_id)
    return render_template("forum/mandate.html", mandate=mandate, elus=service.mandate_elus(mandate),
                           errors=errors or {}, values=typed() if errors else {}, result=result)


@bp.get("/mandates/<uuid:mandate_id>")
@login_required
def mandate(mandate_id):
    return _render_mandate(mandate_id)


@bp.post("/mandates/<uuid:mandate_id>/elus")
@login_required
@use_form(EluIn, on_error=lambda errors, mandate_id: _render_mandate(mandate_id, errors))
def add_elu(data, mandate_id):
    _require(policy.can_manage_mandates(current_user))
    mandate = _get(Mandate, mandate_id)
    term, _created = service.add_elu(current_user, mandate, **data)
    service.invite_new_accounts([term])
    flash(_("%(name)s ajouté(e) au mandat.", name=term.user.name), "success")
    return redirect(url_for("forum.mandate", mandate_id=mandate.id))


@bp.post("/mandates/<uuid:mandate_id>/import")
@login_required
def import_elus(mandate_id):
    _require(policy.can_manage_mandates(current_user))
    mandate = _get(Mandate, mandate_id)
    upload = request.files.get("file")
    text = csvfile.decode(upload.read()) if upload else ""
    if not text:
        errors = {"file": [_("Choisissez un fichier CSV en UTF-8.")]}
        return _render_mandate(mandate_id, errors), 422
    result = service.import_elus_csv(current_user, mandate, text, create_groups=read_form(ImportForm)["create_groups"])
    if result.errors:
        db.session.rollback()
        return _render_mandate(mandate_id, result=result), 422
    invited = service.invite_new_accounts(service.mandate_elus(mandate))
    flash(_("%(n)d élu(s) importé(s), %(i)d invitation(s) envoyée(s).", n=result.created + result.updated,
            i=invited), "success")
    return redirect(url_for("forum.mandate", mandate_id=mandate.id))


@bp.get("/progress")
@login_required
def progress():
    _require(policy.can_follow_progress(current_user))
    mandate = service.forum_mandate() or abort(404)
    rows = service.progress(mandate)
    return render_template("forum/progress.html", mandate=mandate, rows=rows,
                           totals={k: sum(r[k] for r in rows) for k in ("portrait", "complete", "consent")})


@bp.post("/progress/reminders")
@login_required
def remind():
    _require(policy.can_follow_progress(current_user))
    mandate = service.forum_mandate() or abort(404)
    count = service.remind_incomplete(current_user, mandate)
    flash(_("%(n)d élu(s) relancé(s).", n=count), "success")
    return redirect(url_for("forum.progress"))


# --- stands and questions --------------------------------------------------------------------------------

@bp.get("/")
@login_required
def stands():
    return render_template("forum/stands.html", units=service.stand_units(), term=service.term_of(current_user),
                           sees_progress=policy.can_follow_progress(current_user),
                           manages=policy.can_manage_mandates(current_user))


def _stand_unit(unit_id) -> OrgUnit:
    unit = _get(OrgUnit, unit_id)
    if unit.kind not in policy.STAND_KINDS:
        abort(404)
    return unit


def _render_stand(unit_id, errors: dict | None = None, form: str | None = None):
    unit = _stand_unit(unit_id)
    return render_template("forum/stand.html", unit=unit, stand=service.stand_of(unit),
                           agents=service.stand_agents(unit), questions=service.questions(current_user, unit),
                           can_ask=policy.can_ask(current_user, service.term_of(current_user)),
                           can_edit=policy.can_edit_stand(current_user, unit),
                           belongs=policy.belongs_to_stand(current_user, unit),
                           errors=errors or {}, failed_form=form, values=typed() if errors else {})


@bp.get("/stands/<uuid:unit_id>")
@login_required
def stand(unit_id):
    return _render_stand(unit_id)


@bp.post("/stands/<uuid:unit_id>")
@login_required
@use_form(StandIn, on_error=lambda errors, unit_id: _render_stand(unit_id, errors, "stand"))
def save_stand(data, unit_id):
    unit = _stand_unit(unit_id)
    _require(policy.can_edit_stand(current_user, unit))
    service.update_stand(current_user, unit, data)
    flash(_("Stand mis à jour."), "success")
    return redirect(url_for("forum.stand", unit_id=unit.id))


@bp.post("/stands/<uuid:unit_id>/questions")
@login_required
@use_form(QuestionIn, on_error=lambda errors, unit_id: _render_stand(unit_id, errors, "question"))
def ask(data, unit_id):
    unit = _stand_unit(unit_id)
    _require(policy.can_ask(current_user, service.term_of(current_user)))
    service.ask(current_user, unit, text=data["text"], private=data["private"])
    flash(_("Question envoyée au service."), "success")
    return redirect(url_for("forum.stand", unit_id=unit.id, _anchor="questions"))


def _answer_refused(errors, question_id):
    return _render_stand(_get(StandQuestion, question_id).unit_id, errors, f"answer-{question_id}")


@bp.post("/questions/<uuid:question_id>/answer")
@login_required
@use_form(AnswerIn, on_error=_answer_refused)
def answer(data, question_id):
    question = _get(StandQuestion, question_id)
    _require(policy.can_answer(current_user, question))
    service.answer(current_user, question, data["answer"])
    flash(_("Réponse publiée."), "success")
    return redirect(url_for("forum.stand", unit_id=question.unit_id, _anchor=f"q-{question.id}"))


@bp.get("/directory")
@login_required
def directory():
    query = request.args.get("q", "")[:100]
    return render_template("forum/directory.html", people=service.directory(query), query=query)
