"""JSON API of the forum (the élu's own profile, questions and answers), for the PWA and its outbox.
Thin handlers: load (404), ask the policy (403), call the service."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.accounts.models import OrgUnit
from webapp.core.api import require, signed_in
from webapp.core.idempotency import idempotent
from webapp.extensions import db
from webapp.forum import policy, service
from webapp.forum.models import DeclaredInterest, StandQuestion, Unavailability
from webapp.forum.schemas import (
    AnswerIn,
    InterestIn,
    InterestOut,
    ProfileOut,
    ProfilePatch,
    QuestionIn,
    QuestionOut,
    UnavailabilityIn,
    UnavailabilityOut,
)
from webapp.organisation.models import Elu

blp = Blueprint("forum_api", __name__, url_prefix="/api/v1/forum", description="Forum des politiques publiques")


def _own_term() -> Elu:
    """The signed-in élu's seat in the new mandate; 404 for anyone who has none."""
    return service.term_of(current_user) or abort(404)


def _profile_payload(term: Elu) -> dict:
    profile = service.profile_of(term)
    return {"presentation": profile.presentation if profile else "", "themes": profile.themes if profile else "",
            "preferred_contact": profile.preferred_contact if profile else "",
            "consent_public": bool(profile and profile.consent_public),
            "has_portrait": bool(profile and profile.portrait_sha256), "complete": bool(profile and profile.complete),
            "unavailabilities": service.unavailabilities(term), "interests": service.interests(term)}


@blp.route("/profile")
class Profile(MethodView):
    @signed_in
    @blp.response(200, ProfileOut)
    def get(self):
        """The signed-in élu's own profile, private parts included."""
        return _profile_payload(_own_term())

    @idempotent
    @signed_in
    @blp.arguments(ProfilePatch)
    @blp.response(200, ProfileOut)
    def patch(self, data):
        """Change the presentation, themes, preferred contact or the consent to publish the portrait."""
        term = _own_term()
        service.update_presentation(current_user, term, data)
        return _profile_payload(term)


@blp.route("/profile/unavailabilities")
class Unavailabilities(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(UnavailabilityIn)
    @blp.response(201, UnavailabilityOut)
    def post(self, data):
        """Add a recurring agenda constraint."""
        return service.add_unavailability(current_user, _own_term(), data)


def _own_item(model, item_id):
    term = _own_term()
    item = db.session.get(model, item_id)
    if item is None or item.elu_id != term.id:
        abort(404)
    return item


@blp.route("/profile/unavailabilities/<uuid:item_id>")
class UnavailabilityItem(MethodView):
    @signed_in
    @blp.response(204)
    def delete(self, item_id):
        """Remove one of one's agenda constraints."""
        service.remove(current_user, _own_item(Unavailability, item_id))


@blp.route("/profile/interests")
class Interests(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(InterestIn)
    @blp.response(201, InterestOut)
    def post(self, data):
        """Declare a function or interest held elsewhere."""
        return service.add_interest(current_user, _own_term(), data)


@blp.route("/profile/interests/<uuid:item_id>")
class InterestItem(MethodView):
    @signed_in
    @blp.response(204)
    def delete(self, item_id):
        """Remove one of one's declared functions."""
        service.remove(current_user, _own_item(DeclaredInterest, item_id))


def _stand_unit(unit_id) -> OrgUnit:
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or unit.kind not in policy.STAND_KINDS:
        abort(404)
    return unit


@blp.route("/stands/<uuid:unit_id>/questions")
class StandQuestions(MethodView):
    @signed_in
    @blp.response(200, QuestionOut(many=True))
    def get(self, unit_id):
        """The questions of a stand that the signed-in person may see, newest first."""
        return service.questions(current_user, _stand_unit(unit_id))

    @idempotent
    @signed_in
    @blp.arguments(QuestionIn)
    @blp.response(201, QuestionOut)
    def post(self, data, unit_id):
        """An élu of the new mandate asks the service a question (the client may supply its id)."""
        unit = _stand_unit(unit_id)
        require(policy.can_ask(current_user, service.term_of(current_user)))
        if data["id"] and db.session.get(StandQuestion, data["id"]) is not None:
            abort(409)
        return service.ask(current_user, unit, text=data["text"], private=data["private"], question_id=data["id"])


@blp.route("/questions/<uuid:question_id>/answer")
class QuestionAnswer(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(AnswerIn)
    @blp.response(200, QuestionOut)
    def post(self, data, question_id):
        """An agent of the stand's service answers (or corrects the answer)."""
        question = db.session.get(StandQuestion, question_id) or abort(404)
        require(policy.can_answer(current_user, question))
        return service.answer(current_user, question, data["answer"])
