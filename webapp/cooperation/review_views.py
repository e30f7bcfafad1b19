"""The review's pages: open a pair's review, its figures (SVG charts with their tables) beside each
side's answers to the three questions, the proposed changes to accept, and the review as a PDF."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts.models import User
from webapp.cooperation import policy, reviews
from webapp.cooperation import review as figures_of
from webapp.cooperation.schemas import AcceptForm, AnswersForm, OpenReviewForm
from webapp.cooperation.views import _charter, _charter_page, bp
from webapp.core.forms import commits, refusal_errors, use_form
from webapp.extensions import db


def _review(review_id):
    item = figures_of.get_review(review_id)
    if item is None or not policy.can_see_review(current_user, item.charter, item.elu):
        abort(404)
    return item


def _context(item) -> dict:
    found = figures_of.figures(item)
    return {"review": item, "charter": item.charter, "f": found, "proposals": figures_of.proposals(found),
            "answers": {a.side: a for a in item.answers}, "mine": reviews.side_of(current_user, item)}


def _review_page(review_id, errors: dict | None = None):
    return render_template("cooperation/review.html", errors=errors or {}, **_context(_review(review_id)))


@bp.post("/<uuid:charter_id>/reviews")
@login_required
@use_form(OpenReviewForm, on_error=lambda errors, charter_id: _charter_page(charter_id, errors))
@commits(lambda exc, charter_id: _charter_page(charter_id, refusal_errors(exc)))
def open_review(form, charter_id):
    charter = _charter(charter_id, edit=True)
    elu = db.session.get(User, form["elu_id"]) or abort(404)
    if not policy.can_see_review(current_user, charter, elu):
        abort(403)
    start, end = reviews.default_period(charter)
    item = reviews.open_review(current_user, charter, elu, start, end)
    db.session.commit()
    return redirect(url_for("cooperation.review_page", review_id=item.id))


@bp.get("/reviews/<uuid:review_id>")
@login_required
def review_page(review_id):
    return _review_page(review_id)


@bp.post("/reviews/<uuid:review_id>/answers")
@login_required
@use_form(AnswersForm, on_error=lambda errors, review_id: _review_page(review_id, errors))
@commits(lambda exc, review_id: _review_page(review_id, refusal_errors(exc)))
def answer(form, review_id):
    reviews.answer(current_user, _review(review_id), **form)
    db.session.commit()
    flash(_("Vos réponses sont enregistrées."), "success")
    return redirect(url_for("cooperation.review_page", review_id=review_id) + "#questions")


@bp.post("/reviews/<uuid:review_id>/accept")
@login_required
@use_form(AcceptForm, on_error=lambda errors, review_id: _review_page(review_id, errors))
@commits(lambda exc, review_id: _review_page(review_id, refusal_errors(exc)))
def accept(form, review_id):
    item = _review(review_id)
    if not policy.can_edit(current_user, item.charter):
        abort(403)
    version = reviews.accept(current_user, item, form["situation_type_id"])
    db.session.commit()
    flash(_("Changement repris dans la version %(n)d : approuvez-la ensemble.", n=version.number), "success")
    return redirect(url_for("cooperation.charter", charter_id=item.charter_id) + "#draft")


@bp.get("/reviews/<uuid:review_id>.pdf")
@login_required
def review_pdf(review_id):
    from weasyprint import HTML

    html = render_template("cooperation/review_pdf.html", **_context(_review(review_id)))
    pdf = HTML(string=html).write_pdf()
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="revue-{review_id}.pdf"'})
