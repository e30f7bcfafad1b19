"""Who may collect, caption, publish and withdraw testimonies: the assemblies service, and administrators.
Everyone, signed in or not, reads what is published."""

from __future__ import annotations


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_assemblies(user) -> bool:
    return _signed_in(user) and user.unit is not None and user.unit.kind == "assemblies"


def can_collect(user) -> bool:
    """Record, upload, caption: the assemblies service (the issue's collectors) and administrators."""
    return _signed_in(user) and (user.is_admin or is_assemblies(user))


def can_publish(user) -> bool:
    return can_collect(user)


def can_manage_neighbours(user) -> bool:
    return can_collect(user)


def can_view(user, testimony) -> bool:
    """A published testimony is public; a draft or withdrawn one only for its collectors."""
    return testimony.status == "published" or can_collect(user)
