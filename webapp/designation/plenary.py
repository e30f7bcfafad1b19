"""The plenary's vote on the proposal (issue 14 item 6), recorded by the assemblies service, and what
adoption changes: the designated functions and commission memberships become the ones the rest of
Tandem reads (notes' addressees, excursion quotas, commission spaces — all through ``accounts.models``).

Previous functions are closed with an end date (history kept); a commission's previous members are
recorded in the audit log before the new ones replace them (membership has no dates).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.accounts.roles import today
from webapp.core import audit
from webapp.core.errors import DomainError
from webapp.designation import assigning, policy
from webapp.designation.models import PlenaryVote
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.organisation.models import Commission, Elu, EluFunction

# A post's role gives its holder this function (the other roles give no function, only a seat).
FUNCTION_OF_ROLE = {"president": "president", "vice_president": "vice_president",
                    "commission_president": "commission_president"}
COMMISSION_KINDS = assigning.SHARED_KINDS


def votes(mandate) -> list[PlenaryVote]:
    return db.session.scalars(db.select(PlenaryVote).where(PlenaryVote.mandate_id == mandate.id)
                              .order_by(PlenaryVote.recorded_at)).all()


def adopted(mandate) -> PlenaryVote | None:
    return next((v for v in votes(mandate) if v.adopted), None)


def record_vote(actor, mandate, data: dict) -> PlenaryVote:
    """Record the vote; a single list takes effect at once, a vote when there are more for than against."""
    if not policy.can_record_vote(actor):
        raise DomainError(str(_l("Action réservée au service des assemblées.")), status=403)
    if assigning.proposal(mandate) is None:
        raise DomainError(str(_l("Publiez d’abord la proposition finale.")), status=409)
    if adopted(mandate) is not None:
        raise DomainError(str(_l("L’organisation est déjà adoptée.")), status=409)
    single = data["mode"] == "single_list"
    vote = PlenaryVote(
        mandate_id=mandate.id, mode=data["mode"], recorded_by_id=actor.id,
        votes_for=0 if single else data.get("votes_for", 0),
        votes_against=0 if single else data.get("votes_against", 0),
        abstentions=0 if single else data.get("abstentions", 0), by_group=data.get("by_group", "").strip())
    vote.adopted = single or vote.votes_for > vote.votes_against
    db.session.add(vote)
    db.session.flush()
    audit.record(actor, "designation.vote_recorded", vote, None,
                 {"mode": vote.mode, "for": vote.votes_for, "against": vote.votes_against,
                  "abstentions": vote.abstentions, "adopted": vote.adopted})
    if vote.adopted:
        take_effect(actor, mandate)
    return vote


def _commission_for(body) -> Commission:
    found = db.session.scalar(db.select(Commission).where(Commission.mandate_id == body.mandate_id,
                                                          Commission.name == body.name))
    if found is None:
        found = Commission(mandate_id=body.mandate_id, name=body.name, theme=body.theme or body.name)
        db.session.add(found)
        db.session.flush()
    return found


def take_effect(actor, mandate) -> None:
    """Close the mandate's designated functions, then write the adopted ones and the commissions' members."""
    day = today()
    terms = db.session.scalars(db.select(Elu).where(Elu.mandate_id == mandate.id)).all()
    for term in terms:
        for function in list(term.functions):
            if function.kind in FUNCTION_OF_ROLE.values():
                function.ended_on = day
    db.session.flush()
    for term in terms:
        db.session.expire(term, ["functions"])
    rows = assigning.assignments(mandate)
    commissions = {}
    for body in organisation.bodies(mandate):
        if body.kind in COMMISSION_KINDS:
            commissions[body.id] = _commission_for(body)
    for commission_body_id, commission in commissions.items():
        before = [str(u.id) for u in commission.members]
        commission.members = sorted({a.elu.user for a in rows if a.post.body_id == commission_body_id},
                                    key=lambda u: u.name)
        audit.record(actor, "designation.commission_members", commission, {"members": before},
                     {"members": [str(u.id) for u in commission.members]})
    for row in rows:
        kind = FUNCTION_OF_ROLE.get(row.post.role)
        if kind is None:
            continue
        function = EluFunction(elu_id=row.elu_id, kind=kind, units=list(row.post.units),
                               delegation=(row.post.body.theme or row.post.body.name) if kind == "vice_president"
                               else None, commission=commissions.get(row.post.body_id))
        db.session.add(function)
        audit.record(actor, "designation.function_given", function, None,
                     {"elu": str(row.elu_id), "kind": kind, "post": str(row.post_id)})
    db.session.flush()
