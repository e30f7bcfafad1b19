"""Comments on an aperçu, in its two spaces (services, élus)."""

from __future__ import annotations

from flask_babel import gettext as _

from webapp.accounts.models import User
from webapp.commissions.models import (
    COMMENT_KINDS,
    Apercu,
    ApercuComment,
)
from webapp.commissions.service.common import _invalid, _text
from webapp.core import audit
from webapp.extensions import db

# --- the two spaces ---------------------------------------------------------------------------------

def _link(url: str | None) -> str | None:
    url = _text(url, 300)
    if not url:
        return None
    # Only paths inside Tandem (a note, a mini-bilan): an outside link would be a phishing vector.
    if not url.startswith("/") or url.startswith("//"):
        raise _invalid(_("Le lien doit pointer vers une page de Tandem (commençant par /)."),
                       {"link_url": [_("Lien invalide.")]})
    return url


def add_comment(actor: User, apercu: Apercu, space: str, kind: str, body: str, link_url: str | None = None,
                link_title: str | None = None) -> ApercuComment:
    if kind not in COMMENT_KINDS.get(space, ()):
        raise _invalid(_("Type de contribution invalide pour cet espace."), {"kind": [_("Invalide.")]})
    if not _text(body):
        raise _invalid(_("Le texte est obligatoire."), {"body": [_("Obligatoire.")]})
    comment = ApercuComment(apercu=apercu, author=actor, space=space, kind=kind, body=_text(body),
                            link_url=_link(link_url), link_title=_text(link_title, 200) or None)
    db.session.add(comment)
    db.session.flush()
    audit.record(actor, "apercu_comment.created", comment, None, {"space": space, "kind": kind,
                                                                   "apercu_id": apercu.id})
    return comment


def update_comment(actor: User, comment: ApercuComment, body: str, kind: str | None = None) -> ApercuComment:
    if not _text(body):
        raise _invalid(_("Le texte est obligatoire."), {"body": [_("Obligatoire.")]})
    if kind is not None and kind not in COMMENT_KINDS[comment.space]:
        raise _invalid(_("Type de contribution invalide pour cet espace."), {"kind": [_("Invalide.")]})
    before = {"body": comment.body, "kind": comment.kind}
    comment.body = _text(body)
    comment.kind = kind or comment.kind
    db.session.flush()
    audit.record(actor, "apercu_comment.updated", comment, before, {"body": comment.body, "kind": comment.kind})
    return comment


def space_comments(apercu: Apercu, space: str) -> list[ApercuComment]:
    return [c for c in apercu.comments if c.space == space]
