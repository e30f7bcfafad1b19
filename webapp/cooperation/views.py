"""HTML pages of the anti-manuel, phone first: the pair's anti-manuels, one anti-manuel (rules in force,
the open version being written, agreements), one rule's form, the history with the diffs.

One route per action; forms are read through core.forms; a refusal re-renders the page with its errors.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts.models import OrgUnit, User
from webapp.cooperation import diffs, policy, review, service, wording
from webapp.cooperation.models import CHANNELS, DECIDERS, MODALITIES, PRESENCES, Charter, Rule
from webapp.cooperation.schemas import AddRuleForm, OpenForm, ProposeForm, RuleForm, TypeForm
from webapp.core.forms import commits, refusal_errors, typed, use_form
from webapp.extensions import db

bp = Blueprint("cooperation", __name__, url_prefix="/cooperation")


@bp.app_context_processor
def _labels():
    return {"coop_words": wording, "coop_line": diffs.one_line, "coop_type": service.type_label}


def _charter(charter_id, *, edit: bool = False) -> Charter:
    charter = service.get_charter(charter_id)
    if charter is None or not policy.can_view(current_user, charter):
        abort(404)
    if edit and not policy.can_edit(current_user, charter):
        abort(403)
    return charter


# --- the list -------------------------------------------------------------------------------------

def _openable() -> list[OrgUnit]:
    """The units this person may open an anti-manuel for: the one they head, those their delegation covers."""
    units = []
    if current_user.unit is not None and service.head_of(current_user.unit) == current_user:
        units.append(current_user.unit)
    units += service.delegation_units(current_user)
    return [u for u in dict.fromkeys(units) if service.charter_of_unit(u.id) is None]


def _index_page(errors: dict | None = None):
    return render_template("cooperation/index.html", charters=service.charters_of(current_user),
                           openable=_openable(), errors=errors or {})


@bp.get("")
@login_required
def index():
    return _index_page()


@bp.post("/open")
@login_required
@use_form(OpenForm, on_error=lambda errors, **kw: _index_page(errors))
@commits(lambda exc, **kw: _index_page(refusal_errors(exc)))
def open_charter(form):
    unit = db.session.get(OrgUnit, form["unit_id"]) or abort(404)
    head, elus = service.head_of(unit), service.referent_elus(unit)
    if not policy.can_open(current_user, unit, head, elus):
        abort(403)
    charter = service.open_charter(current_user, unit)
    db.session.commit()
    flash(_("Anti-manuel ouvert : ajoutez les types de situation."), "success")
    return redirect(url_for("cooperation.charter", charter_id=charter.id))


# --- one anti-manuel ------------------------------------------------------------------------------

def _charter_page(charter_id, errors: dict | None = None):
    charter = _charter(charter_id)
    in_force = service.agreed_version(charter)
    draft = service.open_version(charter)
    used = {r.situation_type_id for r in draft.rules} if draft else set()
    return render_template(
        "cooperation/charter.html", charter=charter, in_force=in_force, draft=draft,
        editor=policy.can_edit(current_user, charter), may_agree=draft is not None and policy.can_agree(
            current_user, draft), signers=service.signers(charter),
        agreed_ids={a.user_id for a in draft.agreements} if draft else set(),
        free_types=[t for t in service.catalogue() if t.id not in used], changes=diffs.diff(in_force, draft)
        if draft else [], reviews=[r for r in review.reviews_of(charter)
                                   if policy.can_see_review(current_user, charter, r.elu)],
        review_elus=[e for e in charter.elus if policy.can_see_review(current_user, charter, e)],
        errors=errors or {},
        values=typed() if errors else {})


@bp.get("/<uuid:charter_id>")
@login_required
def charter(charter_id):
    return _charter_page(charter_id)


def _refused(exc, charter_id, **kw):
    return _charter_page(charter_id, refusal_errors(exc))


def _back(charter_id, message: str, anchor: str = ""):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("cooperation.charter", charter_id=charter_id) + anchor)


@bp.post("/<uuid:charter_id>/versions")
@login_required
@commits(_refused)
def start_version(charter_id):
    service.start_version(current_user, _charter(charter_id, edit=True))
    return _back(charter_id, _("Nouvelle version ouverte : modifiez les règles puis proposez-la."), "#draft")


@bp.post("/<uuid:charter_id>/rules")
@login_required
@use_form(AddRuleForm, on_error=lambda errors, charter_id: _charter_page(charter_id, errors))
@commits(_refused)
def add_rule(form, charter_id):
    charter = _charter(charter_id, edit=True)
    version = service.start_version(current_user, charter)
    rule = service.set_rule(current_user, version, form["situation_type_id"])
    db.session.commit()
    return redirect(url_for("cooperation.rule", charter_id=charter_id, rule_id=rule.id))


@bp.post("/<uuid:charter_id>/types")
@login_required
@use_form(TypeForm, on_error=lambda errors, charter_id: _charter_page(charter_id, errors))
@commits(_refused)
def add_type(form, charter_id):
    charter = _charter(charter_id, edit=True)
    kind = service.add_situation_type(current_user, form["label"])
    rule = service.set_rule(current_user, service.start_version(current_user, charter), kind.id)
    db.session.commit()
    return redirect(url_for("cooperation.rule", charter_id=charter_id, rule_id=rule.id))


def _rule(charter: Charter, rule_id) -> Rule:
    rule = db.session.get(Rule, rule_id)
    if rule is None or rule.version.charter_id != charter.id:
        abort(404)
    return rule


def _rule_page(charter_id, rule_id, errors: dict | None = None):
    charter = _charter(charter_id, edit=True)
    rule = _rule(charter, rule_id)
    people = db.session.scalars(db.select(User).where(User.active.is_(True), db.or_(
        User.unit_id == charter.unit_id, User.id.in_([e.id for e in charter.elus]))).order_by(User.name)).all()
    return render_template("cooperation/rule.html", charter=charter, rule=rule, people=people,
                           modalities=MODALITIES, deciders=DECIDERS, channels=CHANNELS, presences=PRESENCES,
                           errors=errors or {}, values=typed() if errors else {})


@bp.get("/<uuid:charter_id>/rules/<uuid:rule_id>")
@login_required
def rule(charter_id, rule_id):
    return _rule_page(charter_id, rule_id)


@bp.post("/<uuid:charter_id>/rules/<uuid:rule_id>")
@login_required
@use_form(RuleForm, on_error=lambda errors, **kw: _rule_page(errors=errors, **kw))
@commits(lambda exc, **kw: _rule_page(errors=refusal_errors(exc), **kw))
def save_rule(form, charter_id, rule_id):
    charter = _charter(charter_id, edit=True)
    rule = _rule(charter, rule_id)
    service.set_rule(current_user, rule.version, rule.situation_type_id, **form)
    return _back(charter_id, _("Règle enregistrée."), "#draft")


@bp.post("/<uuid:charter_id>/rules/<uuid:rule_id>/remove")
@login_required
@commits(_refused)
def remove_rule(charter_id, rule_id):
    charter = _charter(charter_id, edit=True)
    rule = _rule(charter, rule_id)
    service.remove_rule(current_user, rule.version, rule)
    return _back(charter_id, _("Règle retirée."), "#draft")


@bp.post("/<uuid:charter_id>/propose")
@login_required
@use_form(ProposeForm, on_error=lambda errors, charter_id: _charter_page(charter_id, errors))
@commits(_refused)
def propose(form, charter_id):
    charter = _charter(charter_id, edit=True)
    version = service.open_version(charter) or abort(404)
    service.propose(current_user, version, form["summary"])
    return _back(charter_id, _("Version proposée : chacun l’approuve à son tour."), "#draft")


@bp.post("/<uuid:charter_id>/agree")
@login_required
@commits(_refused)
def agree(charter_id):
    charter = _charter(charter_id, edit=True)
    version = service.open_version(charter) or abort(404)
    service.agree(current_user, version)
    done = version.status == "agreed"
    return _back(charter_id, _("Version %(n)d en vigueur.", n=version.number) if done
                 else _("Votre accord est enregistré."))


@bp.get("/<uuid:charter_id>/history")
@login_required
def history(charter_id):
    charter = _charter(charter_id)
    return render_template("cooperation/history.html", charter=charter, rows=diffs.history(charter))
