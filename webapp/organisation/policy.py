"""Who may draft, publish and read the organisation. One small function per question.

- The coordination (a ``Coordinator`` row for the mandate) and the assemblies service, which assists it,
  draft and publish; an administrator or the assemblies service grants the coordination.
- Before its publication time only they see the organisation; after it every signed-in person does
  (élus, and agents who will work with the bodies).
"""

from __future__ import annotations

from webapp.core import facts
from webapp.extensions import db
from webapp.organisation.models import Coordinator, Mandate


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_assemblies(user) -> bool:
    return _signed_in(user) and user.unit is not None and user.unit.kind == "assemblies"


def is_coordinator(user, mandate: Mandate | None) -> bool:
    if not _signed_in(user) or mandate is None:
        return False
    return db.session.scalar(db.select(Coordinator.id).where(
        Coordinator.user_id == user.id, Coordinator.mandate_id == mandate.id)) is not None


def can_grant_coordination(user) -> bool:
    return _signed_in(user) and (user.is_admin or is_assemblies(user))


def can_draft(user, mandate: Mandate | None) -> bool:
    return is_assemblies(user) or is_coordinator(user, mandate)


def can_publish(user, mandate: Mandate | None) -> bool:
    return can_draft(user, mandate)


def can_see(user, mandate: Mandate | None, published: bool) -> bool:
    if not _signed_in(user) or mandate is None:
        return False
    return published or can_draft(user, mandate) or user.is_admin


def sees_nav(user) -> bool:
    """The link shows to whoever the page opens for (a link answering 403 would be a dead end).

    ``can_see`` for the organisation's mandate (the newest, as ``forum_mandate``), from the navigation's
    facts (``core.facts``: read with the other domains' in one statement per request).
    """
    if not _signed_in(user):
        return False
    if not facts.of(user, "organisation.has_mandate"):
        return False
    return bool(facts.of(user, "organisation.published") or is_assemblies(user)
                or facts.of(user, "organisation.coordinates") or user.is_admin)


def nav_facts() -> dict:
    """``sees_nav``'s questions as scalar expressions of the person and the time (``core.facts``)."""
    from webapp.organisation.models import Publication

    def newest():
        return db.select(Mandate.id).order_by(Mandate.starts_on.desc()).limit(1).scalar_subquery()

    return {
        "organisation.has_mandate": lambda user, now, day: db.select(Mandate.id).exists(),
        "organisation.published": lambda user, now, day: db.select(Publication.id).where(
            Publication.mandate_id == newest(), Publication.publish_at <= now).exists(),
        "organisation.coordinates": lambda user, now, day: db.select(Coordinator.id).where(
            Coordinator.user_id == user, Coordinator.mandate_id == newest()).exists(),
    }
