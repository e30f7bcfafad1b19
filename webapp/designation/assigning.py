"""The coordination's arbitration (issue 14 item 5): per body, the candidates with their rank,
justification, alerts, gauge and group; the solver's proposal, explained ("why not me"), then adjusted by
hand; and the final proposal published to every élu.

Only the coordination arbitrates (``policy.can_arbitrate``); it is checked here, in every function that
changes something, so that the API and the pages cannot differ.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.core import audit
from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.designation import arbitration, notices, policy, service
from webapp.designation.models import Assignment, Proposal, Wish
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.organisation.models import Elu, Post

# A group's proportional share (highest average) applies to the assembly's commissions, where the law
# asks for it; an external body with one seat would otherwise always go to the largest group.
SHARED_KINDS = ("permanent_commission", "thematic_commission", "statutory_commission")

WHY_NOT = {
    "unavailable": _l("Écarté : le poste se réunit sur une indisponibilité déclarée."),
    "clash": _l("Écarté : se réunit aux mêmes heures que « %(other)s », attribué à cet élu."),
    "cap": _l("Écarté : plafond de représentations atteint pour son niveau."),
    "share": _l("Écarté : la part proportionnelle de son groupe dans cette instance est atteinte."),
    "seats": _l("Écarté : toutes les places sont prises par des vœux mieux classés."),
    "score": _l("Non retenu : l’attribuer aurait satisfait moins de vœux, ou des vœux moins bien classés."),
}


def _require(actor, mandate) -> None:
    if not policy.can_arbitrate(actor, mandate):
        raise DomainError(str(_l("Action réservée à la coordination.")), status=403)


def assignments(mandate) -> list[Assignment]:
    return db.session.scalars(db.select(Assignment).join(Elu).where(Elu.mandate_id == mandate.id)).all()


def group_shares(mandate) -> dict:
    """(body id, group id) -> the most seats of the body's posts the group's élus may hold."""
    sizes: dict = {}
    for group_id in db.session.scalars(db.select(Elu.group_id).where(Elu.mandate_id == mandate.id)):
        sizes[group_id] = sizes.get(group_id, 0) + 1
    shares = {}
    for body in organisation.bodies(mandate):
        if body.kind in SHARED_KINDS and sizes:
            won = arbitration.highest_average(sum(p.seats for p in body.posts), sizes)
            shares.update({(body.id, group): seats for group, seats in won.items()})
    return shares


def problem(mandate, proportional: bool) -> arbitration.Problem:
    base = service.arbitration_problem(mandate)
    if not proportional:
        return base
    terms = db.session.scalars(db.select(Elu).where(Elu.mandate_id == mandate.id)).all()
    return arbitration.Problem(
        wishes=base.wishes, seats=base.seats, representation=base.representation, caps=base.caps,
        clashes=base.clashes, excluded=base.excluded,
        body_of={p.id: p.body_id for p in organisation.all_posts(mandate)},
        group_of={t.id: t.group_id for t in terms}, share=group_shares(mandate))


def propose(actor, mandate, proportional: bool = False) -> set[tuple]:
    """Replace the assignments by the solver's proposal (hand changes come after)."""
    _require(actor, mandate)
    return replace_by_solver(actor, mandate, proportional)


def replace_by_solver(actor, mandate, proportional: bool = False) -> set[tuple]:
    """The solver's proposal in place of the assignments; ``actor`` is None when the week's worker runs
    it at the wishes' closing (the permission is the caller's business)."""
    chosen = arbitration.propose(problem(mandate, proportional))
    for row in assignments(mandate):
        db.session.delete(row)
    db.session.flush()
    for elu_id, post_id in chosen:
        db.session.add(Assignment(elu_id=elu_id, post_id=post_id, source="solver"))
    db.session.flush()
    audit.record(actor, "designation.proposed", mandate, None,
                 {"assigned": len(chosen), "proportional": proportional})
    return chosen


def assign(actor, term: Elu, post: Post) -> Assignment:
    """Give a post by hand: the coordination decides, the alerts stay visible; only seats bind."""
    _require(actor, term.mandate)
    if post.body.mandate_id != term.mandate_id:
        raise DomainError(str(_l("Ce poste n’appartient pas à ce mandat.")), status=404)
    rows = [a for a in assignments(term.mandate) if a.post_id == post.id]
    if any(a.elu_id == term.id for a in rows):
        return next(a for a in rows if a.elu_id == term.id)
    if len(rows) >= post.seats:
        raise DomainError(str(_l("Toutes les places de ce poste sont attribuées : retirez d’abord quelqu’un.")),
                          status=409)
    row = Assignment(elu_id=term.id, post_id=post.id, source="hand")
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "designation.assigned", row, None, {"elu": str(term.id), "post": str(post.id)})
    return row


def unassign(actor, term: Elu, post: Post) -> None:
    _require(actor, term.mandate)
    row = db.session.scalar(db.select(Assignment).where(Assignment.elu_id == term.id,
                                                        Assignment.post_id == post.id))
    if row is not None:
        audit.record(actor, "designation.unassigned", row, {"elu": str(term.id), "post": str(post.id)}, None)
        db.session.delete(row)
        db.session.flush()


def explanations(mandate, proportional: bool = False) -> dict:
    """(élu id, post id) -> the sentence saying why an unsatisfied wish is not in the current assignment."""
    prob = problem(mandate, proportional)
    current = {(a.elu_id, a.post_id) for a in assignments(mandate)}
    posts = {p.id: p for p in organisation.all_posts(mandate)}
    said = {}
    for pair, (code, other) in arbitration.why_not(prob, current).items():
        other_label = organisation.post_label(posts[other]) if other in posts else ""
        said[pair] = str(WHY_NOT[code]) % {"other": other_label} if code == "clash" else str(WHY_NOT[code])
    return said


def board(mandate, proportional: bool = False) -> list[dict]:
    """Per body and post, the candidates (wishes) with everything the coordination weighs."""
    rows = db.session.scalars(db.select(Wish).join(Elu).where(Elu.mandate_id == mandate.id)
                              .order_by(Wish.rank)).all()
    current = {(a.elu_id, a.post_id) for a in assignments(mandate)}
    why = explanations(mandate, proportional)
    per_elu: dict = {}
    for wish in rows:
        if wish.elu_id not in per_elu:
            result = service.analysis(wish.elu)
            per_elu[wish.elu_id] = result
    given_by_hand = {(a.elu_id, a.post_id) for a in assignments(mandate) if a.source == "hand"}
    result = []
    for body in organisation.bodies(mandate):
        posts = []
        for post in body.posts:
            candidates = [{
                "wish": w, "assigned": (w.elu_id, post.id) in current, "by_hand": (w.elu_id, post.id) in given_by_hand,
                "alerts": per_elu[w.elu_id]["alerts"].get(post.id, []), "gauge": per_elu[w.elu_id]["gauge"],
                "why_not": why.get((w.elu_id, post.id), "")} for w in rows if w.post_id == post.id]
            holders = [a for a in assignments(mandate) if a.post_id == post.id]
            posts.append({"post": post, "candidates": candidates, "holders": holders})
        result.append({"body": body, "posts": posts})
    return result


def proposal(mandate) -> Proposal | None:
    return db.session.scalar(db.select(Proposal).where(Proposal.mandate_id == mandate.id))


def publish(actor, mandate, proportional: bool = False) -> Proposal:
    """Publish the final proposal and tell every élu of the mandate in their notification centre."""
    _require(actor, mandate)
    return publish_now(actor, mandate, proportional)


def publish_now(actor, mandate, proportional: bool = False) -> Proposal:
    """Publish (``actor`` None: the week's worker at the proposal's deadline) and tell every élu."""
    row = proposal(mandate) or Proposal(mandate_id=mandate.id)
    row.published_at, row.published_by_id, row.proportional = utcnow(), getattr(actor, "id", None), proportional
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "designation.published", row, None, {"assigned": len(assignments(mandate))})
    terms = db.session.scalars(db.select(Elu).where(Elu.mandate_id == mandate.id)).all()
    notices.tell([t.user for t in terms], kind="designation.proposal",
                 title=_l("La proposition de répartition des postes est publiée"),
                 body=_l("Vos postes proposés, votre jauge et votre simulation d’indemnité."),
                 url="/designation/mine")
    return row


def mine(term: Elu) -> dict | None:
    """What the élu sees once the proposal is published: their posts, gauge, cap and simulation, and
    for each wish not satisfied, why not."""
    published = proposal(term.mandate)
    if published is None:
        return None
    why = explanations(term.mandate, published.proportional)
    left_out = [(w, why.get((term.id, w.post_id), "")) for w in service.wishes(term)
                if (term.id, w.post_id) in why]
    posts = [a.post for a in assignments(term.mandate) if a.elu_id == term.id]
    return {"posts": posts, "left_out": left_out, **service.standing(term, posts)}
