"""JSON API of the wishes: the signed-in élu's own wishes with what they trigger (alerts, gauge, cap,
simulation), recomputed on each change. Thin handlers: load (404), ask the policy (403), call the service."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.core.api import signed_in
from webapp.core.idempotency import idempotent
from webapp.designation import remarks, service
from webapp.designation.models import Wish
from webapp.designation.schemas import AvailabilityIn, MoveIn, RemarkIn, RemarkOut, WishesOut, WishIn, WishPatch
from webapp.extensions import db
from webapp.organisation.models import Post

blp = Blueprint("designation_api", __name__, url_prefix="/api/v1/designation", description="Wishes for posts")


def _own_term():
    return service.term_of(current_user) or abort(404)


def _own_wish(wish_id) -> Wish:
    wish = db.session.get(Wish, wish_id)
    if wish is None or wish.elu_id != _own_term().id:
        abort(404)
    return wish


def payload(term) -> dict:
    result = service.analysis(term)
    rows = [{"id": w.id, "post_id": w.post_id, "rank": w.rank, "justification": w.justification,
             "alert_answer": w.alert_answer, "alerts": result["alerts"].get(w.post_id, [])}
            for w in service.wishes(term)]
    return {"wishes": rows, "gauge": result["gauge"], "cap": result["cap"], "simulation": result["simulation"]}


@blp.route("/wishes")
class Wishes(MethodView):
    @signed_in
    @blp.response(200, WishesOut)
    def get(self):
        """The signed-in élu's wishes, their alerts, the gauge, the cap and the indemnity simulation."""
        return payload(_own_term())

    @idempotent
    @signed_in
    @blp.arguments(WishIn)
    @blp.response(201, WishesOut)
    def post(self, data):
        """Wish a post, justified; it goes last in the ranking."""
        term = _own_term()
        post = db.session.get(Post, data["post_id"]) or abort(404)
        service.add_wish(current_user, term, post, data["justification"])
        return payload(term)


@blp.route("/wishes/<uuid:wish_id>")
class WishItem(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(WishPatch)
    @blp.response(200, WishesOut)
    def patch(self, data, wish_id):
        """Change a wish's justification or the answer to its alerts."""
        wish = _own_wish(wish_id)
        service.update_wish(current_user, wish, data)
        return payload(wish.elu)

    @signed_in
    @blp.response(200, WishesOut)
    def delete(self, wish_id):
        """Withdraw a wish; the ones below move up."""
        wish = _own_wish(wish_id)
        term = wish.elu
        service.remove_wish(current_user, wish)
        return payload(term)


@blp.route("/wishes/<uuid:wish_id>/move")
class WishMove(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(MoveIn)
    @blp.response(200, WishesOut)
    def post(self, data, wish_id):
        """Move a wish one place up (-1) or down (+1)."""
        wish = _own_wish(wish_id)
        service.move_wish(current_user, wish, data["step"])
        return payload(wish.elu)


@blp.route("/availability")
class AvailabilityItem(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(AvailabilityIn)
    @blp.response(200, WishesOut)
    def put(self, data):
        """Set the hours a month one can give (the gauge's limit) and the indemnities of other mandates."""
        term = _own_term()
        service.set_availability(current_user, term, data["hours_per_month"], data.get("other_indemnities"))
        return payload(term)


@blp.route("/remarks")
class Remarks(MethodView):
    @signed_in
    @blp.response(200, RemarkOut(many=True))
    def get(self):
        """The signed-in élu's questions and objections on the published proposal, newest first."""
        return remarks.of_term(_own_term())

    @idempotent
    @signed_in
    @blp.arguments(RemarkIn)
    @blp.response(201, RemarkOut)
    def post(self, data):
        """Leave a question or an objection (``post_id``: about that post; none: the whole proposal), from
        the proposal's publication until the plenary adopts it (409 before and after)."""
        return remarks.leave(current_user, _own_term(), data["kind"], data["text"], data.get("post_id"))
