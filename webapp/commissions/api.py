"""JSON API of the bilan de commission, for the PWA's outbox. Thin handlers: load (404), ask the policy
(403), call the service."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.commissions import policy, service
from webapp.commissions.models import Apercu, ApercuComment, BilanSession
from webapp.commissions.schemas import (
    ApercuIn,
    ApercuListArgs,
    ApercuOut,
    ApercuPatch,
    CommentIn,
    CommentOut,
    CommentPatch,
    RankingsIn,
    ScaleIn,
    SelectionIn,
    SelectionOut,
    SessionOut,
)
from webapp.core.api import require, signed_in
from webapp.core.errors import register_current
from webapp.core.idempotency import idempotent
from webapp.extensions import db
from webapp.organisation.models import Commission, PoliticalGroup

blp = Blueprint("commissions_api", __name__, url_prefix="/api/v1", description="Bilan de commission")
# A step taken first by someone else (submission, adoption) answers 409 with the resource as it is now.
register_current(Apercu, lambda apercu: ApercuOut().dump(apercu))
register_current(BilanSession, lambda session: SessionOut().dump(session))


def _apercu(apercu_id) -> Apercu:
    apercu = db.session.get(Apercu, apercu_id) or abort(404)
    require(policy.can_view_apercu(current_user, apercu))
    return apercu


def _commission(commission_id) -> Commission:
    commission = db.session.get(Commission, commission_id) or abort(404)
    require(policy.can_view_session(current_user, commission))
    return commission


def _session_payload(commission: Commission) -> dict:
    session = service.session_of(commission)
    if session is None:
        return {"commission_id": commission.id, "status": "open", "scale": [], "adopted_at": None,
                "rankings": [], "selections": []}
    return session


@blp.route("/apercus")
class Apercus(MethodView):
    @signed_in
    @blp.arguments(ApercuListArgs, location="query")
    @blp.response(200, ApercuOut(many=True))
    def get(self, args):
        """Submitted aperçus of a commission, or those of one's own service."""
        if args["commission_id"]:
            return service.commission_apercus(_commission(args["commission_id"]))
        return service.unit_apercus(current_user.unit) if policy.can_create_apercu(current_user) else []

    @idempotent
    @signed_in
    @blp.arguments(ApercuIn)
    @blp.response(201, ApercuOut)
    def post(self, data):
        """Draft an aperçu in one's service (the client may supply its id)."""
        require(policy.can_create_apercu(current_user))
        if data.get("id") and db.session.get(Apercu, data["id"]) is not None:
            abort(409)
        return service.create_apercu(current_user, data)


@blp.route("/apercus/<uuid:apercu_id>")
class ApercuItem(MethodView):
    @signed_in
    @blp.response(200, ApercuOut)
    def get(self, apercu_id):
        return _apercu(apercu_id)

    @idempotent
    @signed_in
    @blp.arguments(ApercuPatch)
    @blp.response(200, ApercuOut)
    def patch(self, data, apercu_id):
        apercu = _apercu(apercu_id)
        require(policy.can_edit_apercu(current_user, apercu))
        return service.update_apercu(current_user, apercu, data)


@blp.route("/apercus/<uuid:apercu_id>/submit")
class ApercuSubmit(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, ApercuOut)
    def post(self, apercu_id):
        """Submit the draft to its thematic commission."""
        apercu = _apercu(apercu_id)
        require(policy.can_edit_apercu(current_user, apercu))  # submitted meanwhile: 409 from the service
        return service.submit_apercu(current_user, apercu)


@blp.route("/apercus/<uuid:apercu_id>/comments")
class Comments(MethodView):
    @signed_in
    @blp.response(200, CommentOut(many=True))
    def get(self, apercu_id):
        return _apercu(apercu_id).comments

    @idempotent
    @signed_in
    @blp.arguments(CommentIn)
    @blp.response(201, CommentOut)
    def post(self, data, apercu_id):
        """Write in the élus' space (commission members) or the agents' space (agents involved)."""
        apercu = _apercu(apercu_id)
        require(policy.can_write_space(current_user, apercu, data["space"]))
        return service.add_comment(current_user, apercu, data["space"], data["kind"], data["body"],
                                   data.get("link_url"), data.get("link_title"))


@blp.route("/apercu-comments/<uuid:comment_id>")
class CommentItem(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(CommentPatch)
    @blp.response(200, CommentOut)
    def patch(self, data, comment_id):
        """Change one's own contribution."""
        comment = db.session.get(ApercuComment, comment_id) or abort(404)
        _apercu(comment.apercu_id)
        require(policy.can_edit_comment(current_user, comment))
        return service.update_comment(current_user, comment, data["body"], data.get("kind"))


@blp.route("/commissions/<uuid:commission_id>/bilan")
class Bilan(MethodView):
    @signed_in
    @blp.response(200, SessionOut)
    def get(self, commission_id):
        """The commission's bilan session: scale, rankings, selections, status."""
        return _session_payload(_commission(commission_id))


@blp.route("/commissions/<uuid:commission_id>/bilan/scale")
class BilanScale(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(ScaleIn)
    @blp.response(200, SessionOut)
    def put(self, data, commission_id):
        commission = _commission(commission_id)
        require(policy.can_run_session(current_user, commission))
        return service.set_scale(current_user, commission, data["levels"])


@blp.route("/commissions/<uuid:commission_id>/bilan/rankings")
class BilanRankings(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(RankingsIn)
    @blp.response(200, SessionOut)
    def put(self, data, commission_id):
        commission = _commission(commission_id)
        require(policy.can_run_session(current_user, commission))
        return service.rank(current_user, commission, data["levels"])


@blp.route("/commissions/<uuid:commission_id>/bilan/selection")
class BilanSelection(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(SelectionIn)
    @blp.response(200, SelectionOut)
    def put(self, data, commission_id):
        """The commission's 3 + 3 (no group), or a political group's own (written by its élus)."""
        commission = _commission(commission_id)
        group = None
        if data["group_id"]:
            group = db.session.get(PoliticalGroup, data["group_id"]) or abort(404)
            require(policy.can_write_group_selection(current_user, commission, group))
        else:
            require(policy.can_run_session(current_user, commission))
        return service.save_selection(current_user, commission, data["proud"], data["challenges"], group)


@blp.route("/commissions/<uuid:commission_id>/bilan/adopt")
class BilanAdopt(MethodView):
    @idempotent
    @signed_in
    @blp.response(200, SessionOut)
    def post(self, commission_id):
        """Adopt the bilan; from then on every change is refused (409)."""
        commission = _commission(commission_id)
        require(policy.can_run_session(current_user, commission))
        return service.adopt(current_user, commission)
