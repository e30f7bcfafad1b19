"""Who may see or do what with excursions: one function per question.

Seen by the organising agent, the élus taking part and the managers of either; never by the cabinet
(003:782-783: "Le cabinet ne peut être associé à l'excursion").
"""

from __future__ import annotations

from flask import g, has_request_context

from webapp.accounts.roles import is_cabinet, roles_of


def _roles(user) -> frozenset[str]:
    """``roles_of`` once per person and request: a chunk upload asks several questions of the policy."""
    if not has_request_context():
        return roles_of(user)
    cache = g.setdefault("excursion_roles", {})
    if user.id not in cache:
        cache[user.id] = roles_of(user)
    return cache[user.id]


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_organiser(user, excursion) -> bool:
    return _signed_in(user) and excursion.organiser_id == user.id


def is_participant(user, excursion) -> bool:
    return _signed_in(user) and any(p.user_id == user.id for p in excursion.participants)


def is_manager_of_member(user, excursion) -> bool:
    """The direct manager of the organiser or of an élu taking part."""
    members = [excursion.organiser, *excursion.elus]
    return _signed_in(user) and any(m is not None and m.manager_id == user.id for m in members)


def can_view(user, excursion) -> bool:
    if not _signed_in(user) or is_cabinet(user):
        return False
    return is_organiser(user, excursion) or is_participant(user, excursion) or is_manager_of_member(user, excursion)


def can_view_row(user, row) -> bool:
    """``can_view`` of a row read in SQL for a list of many excursions (the notification centre's): its
    ``organiser_id``, ``involved`` (the person takes part) and ``managed`` (the person is the direct manager
    of its organiser or of an élu taking part), as ``excursions.home`` reads them."""
    if not _signed_in(user) or is_cabinet(user):
        return False
    return row.organiser_id == user.id or bool(row.involved) or bool(row.managed)


def can_create(user) -> bool:
    """Agents in charge of a dossier organise excursions."""
    if not _signed_in(user):
        return False
    roles = _roles(user)
    return "agent" in roles and "cabinet" not in roles


def can_edit_preparation(user, excursion) -> bool:
    return can_view(user, excursion) and is_organiser(user, excursion) and excursion.status == "prepared"


def can_acknowledge(user, excursion) -> bool:
    return can_view(user, excursion) and is_participant(user, excursion) and excursion.status != "cancelled"


def can_capture(user, excursion) -> bool:
    """On site, the agent and the élus capture evidence; managers only read."""
    if not can_view(user, excursion) or excursion.status == "cancelled":
        return False
    return is_organiser(user, excursion) or is_participant(user, excursion)


def can_view_media(user, excursion) -> bool:
    return can_view(user, excursion)


def can_mark_done(user, excursion) -> bool:
    return can_view(user, excursion) and is_organiser(user, excursion) and excursion.status == "prepared"


def can_cancel(user, excursion) -> bool:
    return can_mark_done(user, excursion)


def can_edit_bilan(user, excursion) -> bool:
    """The mini-bilan is co-written by the agent and the élus (003:786-788)."""
    if not can_view(user, excursion) or excursion.status == "cancelled":
        return False
    return is_organiser(user, excursion) or is_participant(user, excursion)


def can_attach_bilan(user, excursion) -> bool:
    """To one of the organiser's notes being drafted."""
    return can_view(user, excursion) and is_organiser(user, excursion)


def can_attach_bilan_to_dossier(user, excursion) -> bool:
    """To a commission dossier: the agent and the élus wrote it together, either may bring it there."""
    return can_view(user, excursion) and (is_organiser(user, excursion) or is_participant(user, excursion))


def can_view_compliance(user) -> bool:
    """The assemblies service follows the quotas of every élu."""
    if not _signed_in(user):
        return False
    return bool(_roles(user) & {"assemblies", "admin"})


def sees_excursions(user) -> bool:
    """Whether the navigation shows the excursions entry."""
    if not _signed_in(user):
        return False
    roles = _roles(user)
    return "cabinet" not in roles and bool(roles & {"agent", "elu", "manager"})
