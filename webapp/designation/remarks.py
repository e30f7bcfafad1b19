"""Questions and objections on the final proposal (issue 14 item 6): from its publication until the
plenary's adoption, each élu may leave some, about one of the posts or the proposal as a whole; the
coordination and the assemblies service read them all before the vote and are told that one came."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.core import audit
from webapp.core.errors import DomainError
from webapp.designation import assigning, plenary
from webapp.designation.models import Remark
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.organisation.models import Elu, Post
from webapp.push.service import notify

KINDS = ("question", "objection")
MAX_TEXT = 2000


def leave(actor, term: Elu, kind: str, text: str, post_id=None) -> Remark:
    """Record the remark; ``post_id`` names a post of the organisation, None the proposal as a whole."""
    mandate = term.mandate
    if assigning.proposal(mandate) is None:
        raise DomainError(_l("La proposition n’est pas encore publiée : rien à commenter pour l’instant."),
                          status=409)
    if plenary.adopted(mandate) is not None:
        raise DomainError(_l("L’assemblée plénière a voté : la proposition ne reçoit plus de remarques."),
                          status=409)
    post = db.session.get(Post, post_id) if post_id is not None else None
    if post_id is not None and (post is None or post.body.mandate_id != mandate.id):
        message = _l("Ce poste n’appartient pas à l’organisation proposée.")
        raise DomainError(message, fields={"post_id": [str(message)]}, status=422)
    remark = Remark(mandate_id=mandate.id, elu_id=term.id, post_id=post_id, kind=kind, text=text.strip())
    db.session.add(remark)
    db.session.flush()
    audit.record(actor, f"designation.{kind}", remark, None, {"post": str(remark.post_id or "")})
    # Who reads them is told one came (never its text: a push payload carries no content).
    readers = [c.user for c in organisation.coordinators(mandate)] + organisation.assemblies_people()
    notify([u for u in {u.id: u for u in readers if u.id != actor.id}.values()],
           kind="designation.remark", title=_l("Une remarque sur la proposition de répartition"),
           body=_l("Question ou objection d’un élu, à lire avant la plénière."), url="/designation/arbitration")
    return remark


def of_mandate(mandate) -> list[Remark]:
    return db.session.scalars(db.select(Remark).where(Remark.mandate_id == mandate.id)
                              .order_by(Remark.created_at.desc())).all()


def of_term(term: Elu) -> list[Remark]:
    return db.session.scalars(db.select(Remark).where(Remark.elu_id == term.id)
                              .order_by(Remark.created_at.desc())).all()
