"""Who may do what with the atlas: one function per question, answered from the organisation data."""

from __future__ import annotations

from webapp.accounts.roles import roles_of
from webapp.organisation.models import PoliticalGroup


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_manage(user) -> bool:
    """The assemblies service compiles the atlas: budget, themes, posters, publication, staff representatives."""
    return _signed_in(user) and "assemblies" in roles_of(user)


def groups_of(user, poster) -> list[PoliticalGroup]:
    """The political groups this person belongs to in the poster's mandate."""
    if not _signed_in(user):
        return []
    return [t.group for t in user.elu_terms if t.mandate_id == poster.mandate_id and t.group is not None]


def can_write_group_comment(user, poster, group: PoliticalGroup | None) -> bool:
    """A group's political comment is written by that group's élus, nobody else."""
    return group is not None and any(g.id == group.id for g in groups_of(user, poster))


def can_write_staff(user, poster) -> bool:
    """Only the staff representatives designated by the assemblies service."""
    from webapp.atlas.service import is_staff_representative

    return _signed_in(user) and is_staff_representative(user)


def can_use_spaces(user) -> bool:
    """Who sees the atlas pages of the app: the assemblies, élus (group comments), staff representatives."""
    if not _signed_in(user):
        return False
    from webapp.atlas.service import is_staff_representative

    return bool(roles_of(user) & {"assemblies", "elu"}) or is_staff_representative(user)
