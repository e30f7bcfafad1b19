"""JSON API of the anti-manuel. Thin handlers: load (404 when unseen), ask the policy (403), call the
service; a version read before someone else changed it answers 409 with its current state."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.cooperation import policy, service
from webapp.cooperation import review as figures_of
from webapp.cooperation.models import Charter, CharterVersion
from webapp.cooperation.schemas import CharterOut, ReviewBrief, ReviewOut, RuleChangeIn, VersionOut, VersionStep
from webapp.core.api import require, signed_in
from webapp.core.errors import register_current
from webapp.core.idempotency import idempotent

blp = Blueprint("cooperation_api", __name__, url_prefix="/api/v1/cooperation",
                description="Anti-manuel: the rules of a service and its élus, their versions and reviews")

register_current(CharterVersion, lambda version: VersionOut().dump(version))


def _visible(charter: Charter | None) -> Charter:
    if charter is None or not policy.can_view(current_user, charter):
        abort(404)
    return charter


def _editable(charter_id) -> Charter:
    charter = _visible(service.get_charter(charter_id))
    require(policy.can_edit(current_user, charter))
    return charter


def _open(charter: Charter) -> CharterVersion:
    return service.open_version(charter) or abort(404)


@blp.route("/units/<uuid:unit_id>")
class UnitCharter(MethodView):
    @signed_in
    @blp.response(200, CharterOut)
    def get(self, unit_id):
        """The anti-manuel of a service or direction: the version in force and every version kept."""
        charter = _visible(service.charter_of_unit(unit_id))
        return {"id": charter.id, "unit_id": charter.unit_id, "head": charter.head, "elus": charter.elus,
                "first_agreed_at": charter.first_agreed_at, "in_force": service.agreed_version(charter),
                "versions": charter.versions}


@blp.route("/charters/<uuid:charter_id>/rules")
class Rules(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(RuleChangeIn)
    @blp.response(200, VersionOut)
    def post(self, data, charter_id):
        """Propose a rule change: set one situation type's rule in the open version (opened from the
        rules in force when none is). Unsent fields keep their value. The head and élus référents only."""
        charter = _editable(charter_id)
        version = service.start_version(current_user, charter)
        service.set_rule(current_user, version, data.pop("situation_type_id"), **data)
        return version


@blp.route("/charters/<uuid:charter_id>/propose")
class Propose(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(VersionStep)
    @blp.response(200, VersionOut)
    def post(self, data, charter_id):
        """Submit the open draft to every party's agreement (send the ``version`` read: 409 if it moved)."""
        charter = _editable(charter_id)
        return service.propose(current_user, _open(charter), data["summary"], expected=data["version"])


@blp.route("/charters/<uuid:charter_id>/agree")
class Agree(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(VersionStep)
    @blp.response(200, VersionOut)
    def post(self, data, charter_id):
        """Agree the proposed version; the last agreement puts it in force (409 if it moved or is not
        proposed)."""
        charter = _editable(charter_id)
        return service.agree(current_user, _open(charter), expected=data["version"])


@blp.route("/charters/<uuid:charter_id>/reviews")
class Reviews(MethodView):
    @signed_in
    @blp.response(200, ReviewBrief(many=True))
    def get(self, charter_id):
        """The reviews of the pairs the signed-in person belongs to (their élu, or all for the head)."""
        charter = _visible(service.get_charter(charter_id))
        return [r for r in figures_of.reviews_of(charter) if policy.can_see_review(current_user, charter, r.elu)]


@blp.route("/reviews/<uuid:review_id>")
class ReviewItem(MethodView):
    @signed_in
    @blp.response(200, ReviewOut)
    def get(self, review_id):
        """A pair's review figures over its period, per situation type and in total, with the proposed
        changes where figures and rules disagree."""
        item = figures_of.get_review(review_id)
        if item is None or not policy.can_see_review(current_user, item.charter, item.elu):
            abort(404)
        found = figures_of.figures(item)
        return {"id": item.id, "charter_id": item.charter_id, "elu": item.elu, "period_start": item.period_start,
                "period_end": item.period_end, "types": found["types"], "total": found["total"],
                "excursions": len(found["excursions"]), "bilans": found["bilans"],
                "proposals": figures_of.proposals(found)}
