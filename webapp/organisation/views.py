"""HTML pages of the organisation: one page listing the new mandate's bodies and posts, with the drafting
forms for the coordination and the assemblies service, the publication time and the changes made after it.

One route per action; forms are read by the API's schemas (core.forms); a refusal re-renders the page
with its errors and status 422.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.accounts.models import User
from webapp.core.errors import DomainError
from webapp.core.forms import typed, use_form
from webapp.extensions import db
from webapp.forum import service as forum
from webapp.forum.models import INTEREST_CATEGORIES
from webapp.organisation import labels, policy, service
from webapp.organisation.models import BODY_KINDS, FUNCTION_TYPES, POST_ROLES, Body, Mandate, Post
from webapp.organisation.schemas import BodyForm, CoordinatorIn, PostIn, PublicationIn

bp = Blueprint("organisation", __name__, url_prefix="/organisation")


@bp.app_context_processor
def _labels():
    return {"organisation_labels": labels}


def _mandate() -> Mandate:
    return service.organisation_mandate() or abort(404)


def _render(errors: dict | None = None, form: str | None = None, status: int = 200):
    mandate = _mandate()
    published = service.is_published(mandate)
    if not policy.can_see(current_user, mandate, published):
        abort(403)
    html = render_template(
        "organisation/page.html", mandate=mandate, published=published, publication=service.publication(mandate),
        bodies=service.bodies(mandate), changes=service.changes(mandate) if published else [],
        drafter=policy.can_draft(current_user, mandate), granter=policy.can_grant_coordination(current_user),
        coordinators=service.coordinators(mandate),
        wishes_open=published and forum.term_of(current_user) is not None,
        arbiter=policy.is_coordinator(current_user, mandate), clerk=policy.is_assemblies(current_user),
        units=service.delegable_units() if policy.can_draft(current_user, mandate) else [],
        kinds=BODY_KINDS, roles=POST_ROLES,
        function_types=FUNCTION_TYPES, categories=INTEREST_CATEGORIES,
        errors=errors or {}, failed_form=form, values=typed() if errors else {})
    return html, status


@bp.get("")
@login_required
def page():
    return _render()


def _refused(form: str):
    return lambda errors, **kw: _render(errors, form)[0]


def _act(form: str, action, message: str, anchor: str = ""):
    """Run a service action; a rule's refusal re-renders the page with its message."""
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        if exc.status == 403:
            abort(403)
        return _render({**exc.fields, "form": [exc.message]}, form, 422)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("organisation.page") + anchor)


@bp.post("/bodies")
@login_required
@use_form(BodyForm, on_error=_refused("body"))
def add_body(data):
    # The page ticks categories one box each; the API sends them joined.
    categories = ",".join(data.pop("conflict_category"))
    data = {**data, "conflict_categories": data["conflict_categories"] or categories}
    return _act("body", lambda: service.add_body(current_user, _mandate(), data), _("Instance ajoutée."))


def _body(body_id) -> Body:
    body = db.session.get(Body, body_id)
    if body is None or body.mandate_id != _mandate().id:
        abort(404)
    return body


@bp.post("/bodies/<uuid:body_id>/remove")
@login_required
def remove_body(body_id):
    body = _body(body_id)
    return _act("body", lambda: service.remove_body(current_user, body), _("Instance supprimée."))


@bp.post("/bodies/<uuid:body_id>/posts")
@login_required
@use_form(PostIn, on_error=lambda errors, body_id: _render(errors, f"post-{body_id}")[0])
def add_post(data, body_id):
    body = _body(body_id)
    return _act(f"post-{body_id}", lambda: service.add_post(current_user, body, data), _("Poste ajouté."),
                f"#body-{body_id}")


@bp.post("/posts/<uuid:post_id>/remove")
@login_required
def remove_post(post_id):
    post = db.session.get(Post, post_id) or abort(404)
    _body(post.body_id)
    return _act("post", lambda: service.remove_post(current_user, post), _("Poste supprimé."))


@bp.post("/publication")
@login_required
@use_form(PublicationIn, on_error=_refused("publication"))
def schedule(data):
    return _act("publication", lambda: service.schedule_publication(current_user, _mandate(), data["publish_at"]),
                _("Heure de publication enregistrée."))


@bp.post("/coordination")
@login_required
@use_form(CoordinatorIn, on_error=_refused("coordination"))
def grant(data):
    if not policy.can_grant_coordination(current_user):
        abort(403)
    user = db.session.scalar(db.select(User).where(db.func.lower(User.email) == data["email"].lower()))
    if user is None:
        return _render({"email": [_("Aucun compte avec cette adresse.")]}, "coordination", 422)
    return _act("coordination", lambda: service.grant_coordination(current_user, _mandate(), user),
                _("Coordination confiée."))
