"""JSON API of the arbitration, the plenary vote and the installation week (issue 14 items 1, 5 and 7).
Thin handlers: load (404), ask the policy (403), call the service; a rule's refusal is a ``DomainError``
(409/422 as JSON, ``core.errors``)."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from webapp.core.api import require, signed_in
from webapp.core.idempotency import idempotent
from webapp.designation import assigning, calendar, indemnities, plenary, policy, service, steps
from webapp.designation.schemas import (
    AssignIn,
    BoardOut,
    ElectionIn,
    ProposeIn,
    VoteIn,
    VotesOut,
    WeekIn,
    WeekOut,
)
from webapp.extensions import db
from webapp.organisation import policy as organisation_policy
from webapp.organisation import service as organisation
from webapp.organisation.models import Elu, Post

blp = Blueprint("designation_board_api", __name__, url_prefix="/api/v1/designation",
                description="Arbitration, plenary vote and installation week")


def _mandate():
    return organisation.organisation_mandate() or abort(404)


def _arbiter():
    mandate = _mandate()
    require(policy.can_arbitrate(current_user, mandate))
    return mandate


def board_payload(mandate, proportional: bool = False) -> dict:
    published = assigning.proposal(mandate)
    annex = indemnities.annex(mandate)
    bodies = []
    for item in assigning.board(mandate, proportional):
        posts = [{"post_id": entry["post"].id, "label": organisation.post_label(entry["post"]),
                  "seats": entry["post"].seats,
                  "holders": [{"elu_id": a.elu_id, "name": a.elu.user.name, "source": a.source}
                              for a in entry["holders"]],
                  "candidates": [{"elu_id": c["wish"].elu_id, "name": c["wish"].elu.user.name,
                                  "group": c["wish"].elu.group.name if c["wish"].elu.group else "",
                                  "rank": c["wish"].rank, "justification": c["wish"].justification,
                                  "alert_answer": c["wish"].alert_answer, "alerts": c["alerts"],
                                  "assigned": c["assigned"], "by_hand": c["by_hand"], "why_not": c["why_not"]}
                                 for c in entry["candidates"]]}
                 for entry in item["posts"]]
        bodies.append({"body_id": item["body"].id, "name": item["body"].name, "kind": item["body"].kind,
                       "posts": posts})
    return {"proportional": published.proportional if published else proportional,
            "published_at": published.published_at if published else None,
            "total": str(annex["total"]), "envelope": str(annex["envelope"]), "bodies": bodies}


@blp.route("/arbitration")
class Arbitration(MethodView):
    @signed_in
    @blp.response(200, BoardOut)
    def get(self):
        """Per body and post: the candidates (rank, justification, alerts, group, why not) and holders."""
        return board_payload(_arbiter())


@blp.route("/arbitration/proposal")
class Proposal(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(ProposeIn)
    @blp.response(200, BoardOut)
    def post(self, data):
        """Replace the assignment by the solver's proposal (optionally bound by the groups' share)."""
        mandate = _arbiter()
        assigning.propose(current_user, mandate, data["proportional"])
        return board_payload(mandate, data["proportional"])


def _pair(mandate, data):
    term = db.session.get(Elu, data["elu_id"])
    post = db.session.get(Post, data["post_id"])
    if term is None or post is None or term.mandate_id != mandate.id or post.body.mandate_id != mandate.id:
        abort(404)
    return term, post


def _by_hand(change, data) -> dict:
    mandate = _arbiter()
    change(current_user, *_pair(mandate, data))
    return board_payload(mandate)


@blp.route("/arbitration/assignments")
class Assignments(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(AssignIn)
    @blp.response(201, BoardOut)
    def post(self, data):
        """Give a post to an élu by hand (only the seats bind; alerts stay visible)."""
        return _by_hand(assigning.assign, data)


@blp.route("/arbitration/assignments/remove")
class AssignmentRemoval(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(AssignIn)
    @blp.response(200, BoardOut)
    def post(self, data):
        """Take a post back from an élu."""
        return _by_hand(assigning.unassign, data)


@blp.route("/arbitration/publication")
class Publication(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(ProposeIn)
    @blp.response(200, BoardOut)
    def post(self, data):
        """Publish the final proposal to every élu (push and mail)."""
        mandate = _arbiter()
        assigning.publish(current_user, mandate, data["proportional"])
        return board_payload(mandate)


def votes_payload(mandate) -> dict:
    return {"proposal_published": assigning.proposal(mandate) is not None,
            "adopted": plenary.adopted(mandate) is not None, "votes": plenary.votes(mandate)}


@blp.route("/plenary/votes")
class Votes(MethodView):
    @signed_in
    @blp.response(200, VotesOut)
    def get(self):
        """The votes recorded on the proposal (the assemblies service and the coordination read them)."""
        mandate = _mandate()
        require(organisation_policy.can_draft(current_user, mandate))
        return votes_payload(mandate)

    @idempotent
    @signed_in
    @blp.arguments(VoteIn)
    @blp.response(201, VotesOut)
    def post(self, data):
        """Record the plenary's vote; adopted, the organisation takes effect."""
        mandate = _mandate()
        require(policy.can_record_vote(current_user))
        plenary.record_vote(current_user, mandate, data)
        return votes_payload(mandate)


def week_payload(mandate) -> dict:
    row = calendar.week(mandate)
    return {"election_on": row.election_on if row else None, "steps": steps.shown(mandate)}


def _week_reader():
    mandate = _mandate()
    require(organisation_policy.can_draft(current_user, mandate) or service.term_of(current_user) is not None)
    return mandate


@blp.route("/calendar")
class Week(MethodView):
    @signed_in
    @blp.response(200, WeekOut)
    def get(self):
        """The installation week: each step's time and what the worker did at it."""
        return week_payload(_week_reader())

    @idempotent
    @signed_in
    @blp.arguments(WeekIn)
    @blp.response(200, WeekOut)
    def patch(self, data):
        """Move some steps (a time without offset is Paris time); the order of the week must hold."""
        mandate = _mandate()
        calendar.edit(current_user, mandate, data)
        return week_payload(mandate)


@blp.route("/calendar/election")
class Election(MethodView):
    @idempotent
    @signed_in
    @blp.arguments(ElectionIn)
    @blp.response(200, WeekOut)
    def put(self, data):
        """(Re)compute every step from the election date."""
        mandate = _mandate()
        calendar.set_election(current_user, mandate, data["election_on"])
        return week_payload(mandate)
