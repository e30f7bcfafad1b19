"""One poster per theme and mandate: its content, the groups' political comments, publication."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, selectinload

from webapp.accounts.models import User
from webapp.atlas.models import (
    PoliticalComment,
    Poster,
    Theme,
)
from webapp.atlas.service.budget import Share, history
from webapp.atlas.service.common import _clean, _invalid
from webapp.atlas.service.themes import themes
from webapp.commissions import service as commissions
from webapp.core import audit
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set
from webapp.core.errors import Conflict
from webapp.extensions import db
from webapp.organisation.models import Commission, Mandate, PoliticalGroup

# --- posters ----------------------------------------------------------------------------------------

def get_poster(poster_id) -> Poster | None:
    try:
        return db.session.get(Poster, uuid.UUID(str(poster_id)))
    except ValueError:
        return None


def _guess_commission(theme: Theme, mandate: Mandate) -> Commission | None:
    for commission in db.session.scalars(db.select(Commission).where(Commission.mandate_id == mandate.id)):
        if commissions.slugify(commission.theme) == theme.slug or commissions.slugify(commission.name) == theme.slug:
            return commission
    return None


def ensure_posters(actor, mandate: Mandate) -> list[Poster]:
    """One draft poster per theme for the mandate, linked to the theme's commission when it is found."""
    existing = {p.theme_id: p for p in db.session.scalars(db.select(Poster).where(Poster.mandate_id == mandate.id))}
    for theme in themes():
        if theme.id not in existing:
            poster = Poster(theme=theme, mandate=mandate, commission=_guess_commission(theme, mandate),
                            status="draft")
            db.session.add(poster)
            db.session.flush()
            audit.record(actor, "atlas.poster_created", poster, None, {"theme": theme.slug,
                                                                       "mandate": mandate.label})
            existing[theme.id] = poster
    return posters(mandate)


def posters(mandate: Mandate, published_only: bool = False) -> list[Poster]:
    """The mandate's posters in theme order, with their theme and the groups' comments (pages and the
    home's to-dos read both for each poster)."""
    stmt = db.select(Poster).join(Poster.theme).where(Poster.mandate_id == mandate.id).order_by(
        Theme.position, Theme.name).options(contains_eager(Poster.theme), selectinload(Poster.comments))
    if published_only:
        stmt = stmt.where(Poster.status == "published")
    return list(db.session.scalars(stmt))


def update_poster(actor, poster: Poster, competences: str | None = None, commission_id=None,
                  set_commission: bool = False) -> Poster:
    """The assemblies service edits the competences and obligations text and the linked commission."""
    before = {"competences": poster.competences, "commission_id": poster.commission_id}
    if competences is not None:
        poster.competences = _clean(competences)
    if set_commission:
        try:
            commission = db.session.get(Commission, uuid.UUID(str(commission_id))) if commission_id else None
        except ValueError:
            commission = None
        if commission_id and (commission is None or commission.mandate_id != poster.mandate_id):
            raise _invalid(_("Choisissez une commission du même mandat."), {"commission_id": [_("Invalide.")]})
        poster.commission = commission
    db.session.flush()
    audit.record(actor, "atlas.poster_updated", poster, before,
                 {"competences": poster.competences, "commission_id": poster.commission_id})
    return poster


def publish(actor, poster: Poster) -> Poster:
    """Publish on the public atlas; refused while the poster would be empty of its essentials. Once: a
    second publication (two people of the assemblies service at once) is told it is already public."""
    return compare_and_set(lambda: _publish(actor, poster))


def _publish(actor, poster: Poster) -> Poster:
    if poster.status == "published":
        raise Conflict(_("Cette affiche est déjà publiée sur l’atlas public."), subject=poster)
    missing = []
    if not poster.competences.strip():
        missing.append(_("les compétences et obligations"))
    if poster.commission is None:
        missing.append(_("la commission"))
    if missing:
        raise _invalid(_("Avant de publier, renseignez %(what)s.", what=_(" et ").join(missing)),
                       {"poster": [_("Incomplet.")]})
    before = {"status": poster.status}
    poster.status = "published"
    poster.published_at = utcnow()
    db.session.flush()
    audit.record(actor, "atlas.poster_published", poster, before, {"status": "published"})
    return poster


def unpublish(actor, poster: Poster) -> Poster:
    before = {"status": poster.status}
    poster.status = "draft"
    db.session.flush()
    audit.record(actor, "atlas.poster_unpublished", poster, before, {"status": "draft"})
    return poster


def political_comment(poster: Poster, group: PoliticalGroup) -> PoliticalComment | None:
    return next((c for c in poster.comments if c.group_id == group.id), None)


def save_political_comment(actor, poster: Poster, group: PoliticalGroup, body: str) -> PoliticalComment:
    """The group's one comment on the poster; any élu of the group may write or revise it."""
    text = _clean(body)
    if not text:
        raise _invalid(_("Le commentaire est vide."), {"body": [_("Obligatoire.")]})
    comment = political_comment(poster, group)
    before = {"body": comment.body} if comment else None
    if comment is None:
        comment = PoliticalComment(poster=poster, group=group, body=text)
        db.session.add(comment)
    comment.body, comment.author_id = text, actor.id
    db.session.flush()
    audit.record(actor, "atlas.political_comment_saved", comment, before, {"group": group.name, "body": text})
    return comment


def save_staff_text(actor, poster: Poster, body: str) -> Poster:
    before = {"staff_text": poster.staff_text}
    poster.staff_text = _clean(body)
    poster.staff_updated_at = utcnow()
    db.session.flush()
    audit.record(actor, "atlas.staff_text_saved", poster, before, {"staff_text": poster.staff_text})
    return poster


@dataclass
class PosterView:
    """Everything a poster shows, resolved once for the page, the PDF and open data."""

    poster: Poster
    history: list[Share]
    members: list[User]
    selection: commissions.SelectionView | None
    group_selections: list[commissions.SelectionView]
    comments: list[PoliticalComment]

    @property
    def theme(self) -> Theme:
        return self.poster.theme

    @property
    def current(self) -> Share | None:
        return next((s for s in self.history if s.mandate.id == self.poster.mandate_id), None)

    @property
    def max_share(self) -> float:
        return max((s.share for s in self.history), default=0.0) or 1.0


def poster_view(poster: Poster) -> PosterView:
    commission = poster.commission
    own, groups = commissions.selections_of(commission)
    return PosterView(poster=poster, history=history(poster.theme, poster.mandate),
                      members=list(commission.members) if commission else [], selection=own,
                      group_selections=groups,
                      comments=sorted(poster.comments, key=lambda c: c.group.name))


def public_mandate() -> Mandate | None:
    """The latest mandate with at least one published poster: the one the public atlas shows."""
    return db.session.scalar(db.select(Mandate).join(Poster, Poster.mandate_id == Mandate.id)
                             .where(Poster.status == "published").order_by(Mandate.starts_on.desc()).limit(1))


def published_poster(slug: str) -> Poster | None:
    mandate = public_mandate()
    if mandate is None:
        return None
    return db.session.scalar(db.select(Poster).join(Poster.theme).where(
        Poster.mandate_id == mandate.id, Poster.status == "published", Theme.slug == slug))
