"""Pages after the wishes: the coordination's arbitration board, the élu's own proposed posts, and the
plenary vote the assemblies service records. Same blueprint as the wishes; thin handlers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.errors import DomainError
from webapp.core.forms import read_form, typed, use_form
from webapp.designation import assigning, indemnities, plenary, policy, remarks, service
from webapp.designation.schemas import AssignIn, ProposeIn, RemarkIn, VoteIn
from webapp.designation.views import bp, euros
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.organisation.models import Elu, Post


def _mandate():
    return organisation.organisation_mandate() or abort(404)


def _arbiter():
    mandate = _mandate()
    if not policy.can_arbitrate(current_user, mandate):
        abort(403)
    return mandate


def _board(errors: dict | None = None, status: int = 200):
    mandate = _arbiter()
    proportional = request.args.get("proportional") == "1" or typed().get("proportional") == "y"
    terms = db.session.scalars(db.select(Elu).where(Elu.mandate_id == mandate.id)).all()
    return render_template(
        "designation/arbitration.html", mandate=mandate, board=assigning.board(mandate, proportional),
        proportional=proportional, proposal=assigning.proposal(mandate), adopted=plenary.adopted(mandate),
        envelope=indemnities.annex(mandate), euros=euros, remarks=remarks.of_mandate(mandate),
        terms=sorted(terms, key=lambda t: t.user.name), errors=errors or {}), status


def _done(action, message: str, proportional: bool = False):
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        return _board({"form": [exc.message]}, exc.status)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("designation.arbitration", proportional="1" if proportional else None))


@bp.get("/arbitration")
@login_required
def arbitration():
    return _board()


@bp.post("/arbitration/propose")
@login_required
@use_form(ProposeIn, on_error=lambda errors, **kw: _board(errors)[0])
def propose(data):
    mandate = _arbiter()
    return _done(lambda: assigning.propose(current_user, mandate, data["proportional"]),
                 _("Répartition proposée : ajustez-la à la main si besoin."), data["proportional"])


def _pair(data):
    mandate = _arbiter()
    term = db.session.get(Elu, data["elu_id"])
    post = db.session.get(Post, data["post_id"])
    if term is None or post is None or term.mandate_id != mandate.id:
        abort(404)
    return term, post


@bp.post("/arbitration/assign")
@login_required
@use_form(AssignIn, on_error=lambda errors, **kw: _board(errors)[0])
def assign(data):
    term, post = _pair(data)
    return _done(lambda: assigning.assign(current_user, term, post),
                 _("%(name)s : poste attribué.", name=term.user.name))


@bp.post("/arbitration/unassign")
@login_required
@use_form(AssignIn, on_error=lambda errors, **kw: _board(errors)[0])
def unassign(data):
    term, post = _pair(data)
    return _done(lambda: assigning.unassign(current_user, term, post),
                 _("%(name)s : poste retiré.", name=term.user.name))


@bp.post("/arbitration/publish")
@login_required
def publish():
    mandate = _arbiter()
    proportional = read_form(ProposeIn)["proportional"]
    return _done(lambda: assigning.publish(current_user, mandate, proportional),
                 _("Proposition finale publiée : chaque élu est prévenu."), proportional)


def _own_term():
    term = service.term_of(current_user)
    if not policy.can_remark(current_user, term):
        abort(403)
    return term


def _mine(errors: dict | None = None, status: int = 200):
    term = _own_term()
    mine = assigning.mine(term)
    # A remark is about one of the élu's proposed posts or wishes left out, or the proposal as a whole.
    about = [] if mine is None else list({p.id: p for p in mine["posts"] + [w.post for w, _ in mine["left_out"]]}
                                         .values())
    return render_template("designation/mine.html", term=term, mine=mine, adopted=plenary.adopted(term.mandate),
                           euros=euros, remarks=remarks.of_term(term), about=about, errors=errors or {},
                           values=typed() if errors else {}), status


@bp.get("/mine")
@login_required
def mine():
    return _mine()


@bp.post("/mine/remarks")
@login_required
@use_form(RemarkIn, on_error=lambda errors, **kw: _mine(errors)[0])
def remark(data):
    term = _own_term()
    try:
        remarks.leave(current_user, term, data["kind"], data["text"], data.get("post_id"))
    except DomainError as exc:
        db.session.rollback()
        return _mine({**exc.fields, "form": [exc.message]}, exc.status)
    db.session.commit()
    flash(_("Question envoyée à la coordination.") if data["kind"] == "question"
          else _("Objection envoyée à la coordination."), "success")
    return redirect(url_for("designation.mine") + "#remarks")


def _plenary(errors: dict | None = None, status: int = 200):
    if not policy.can_record_vote(current_user):
        abort(403)
    mandate = _mandate()
    return render_template("designation/plenary.html", mandate=mandate, proposal=assigning.proposal(mandate),
                           votes=plenary.votes(mandate), adopted=plenary.adopted(mandate),
                           holders=assigning.assignments(mandate), remarks=remarks.of_mandate(mandate),
                           errors=errors or {},
                           values=typed() if errors else {}), status


@bp.get("/plenary")
@login_required
def plenary_page():
    return _plenary()


@bp.post("/plenary")
@login_required
@use_form(VoteIn, on_error=lambda errors, **kw: _plenary(errors)[0])
def record_vote(data):
    if not policy.can_record_vote(current_user):
        abort(403)
    mandate = _mandate()
    try:
        vote = plenary.record_vote(current_user, mandate, data)
    except DomainError as exc:
        db.session.rollback()
        return _plenary({"form": [exc.message]}, exc.status)
    db.session.commit()
    flash(_("Vote enregistré : l’organisation prend effet.") if vote.adopted
          else _("Vote enregistré : la proposition n’est pas adoptée."), "success")
    return redirect(url_for("designation.plenary_page"))
