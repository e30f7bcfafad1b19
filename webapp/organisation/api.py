"""JSON API of the organisation: read it (once published, or as its drafters), draft bodies and posts,
set the publication time. Thin handlers: load (404), ask the policy (403), call the service."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.core.api import require, signed_in
from webapp.core.idempotency import idempotent
from webapp.extensions import db
from webapp.organisation import policy, service
from webapp.organisation.models import Body, Mandate, Post
from webapp.organisation.schemas import (
    BodyIn,
    BodyOut,
    OrganisationOut,
    PostIn,
    PostOut,
    PostPatch,
    PublicationIn,
)

blp = Blueprint("organisation_api", __name__, url_prefix="/api/v1/organisation",
                description="Organisation of the mandate: bodies and posts")


def _mandate() -> Mandate:
    return service.organisation_mandate() or abort(404)


def _body(body_id) -> Body:
    body = db.session.get(Body, body_id)
    if body is None or not policy.can_see(current_user, body.mandate, service.is_published(body.mandate)):
        abort(404)
    return body


def _post(post_id) -> Post:
    post = db.session.get(Post, post_id) or abort(404)
    _body(post.body_id)
    return post


def payload(mandate: Mandate) -> dict:
    pub = service.publication(mandate)
    return {"mandate": mandate.label, "published": service.is_published(mandate),
            "publish_at": pub.publish_at if pub else None, "bodies": service.bodies(mandate)}


@blp.route("")
class Organisation(MethodView):
    @signed_in
    @blp.response(200, OrganisationOut)
    def get(self):
        """The new mandate's bodies and posts: everyone once published, the drafters before."""
        mandate = _mandate()
        require(policy.can_see(current_user, mandate, service.is_published(mandate)))
        return payload(mandate)


@blp.route("/publication")
class PublicationTime(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(PublicationIn)
    @blp.response(200, OrganisationOut)
    def put(self, data):
        """Set when the organisation opens to every élu (a time without offset is Paris time)."""
        mandate = _mandate()
        require(policy.can_publish(current_user, mandate))
        service.schedule_publication(current_user, mandate, data["publish_at"])
        return payload(mandate)


@blp.route("/bodies")
class Bodies(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(BodyIn)
    @blp.response(201, BodyOut)
    def post(self, data):
        """Add a body (commission or external body)."""
        mandate = _mandate()
        require(policy.can_draft(current_user, mandate))
        return service.add_body(current_user, mandate, data)


@blp.route("/bodies/<uuid:body_id>")
class BodyItem(MethodView):
    @signed_in
    @blp.response(204)
    def delete(self, body_id):
        """Remove a body and its posts."""
        body = _body(body_id)
        require(policy.can_draft(current_user, body.mandate))
        service.remove_body(current_user, body)


@blp.route("/bodies/<uuid:body_id>/posts")
class Posts(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(PostIn)
    @blp.response(201, PostOut)
    def post(self, data, body_id):
        """Add a kind of post to a body, with its seats, function type, time and rhythm."""
        body = _body(body_id)
        require(policy.can_draft(current_user, body.mandate))
        return service.add_post(current_user, body, data)


@blp.route("/posts/<uuid:post_id>")
class PostItem(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(PostPatch)
    @blp.response(200, PostOut)
    def patch(self, data, post_id):
        """Change a post's seats, time, rhythm or conditions."""
        post = _post(post_id)
        require(policy.can_draft(current_user, post.body.mandate))
        return service.update_post(current_user, post, data)

    @signed_in
    @blp.response(204)
    def delete(self, post_id):
        """Remove a post."""
        post = _post(post_id)
        require(policy.can_draft(current_user, post.body.mandate))
        service.remove_post(current_user, post)
