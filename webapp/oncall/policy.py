"""Who may do what with the on-call rotas. Roles come from the organisation (accounts.roles).

The head of a service is an active person of the unit (or of a direction above it) whose own manager is
not in that unit: the top of the unit's line of management. They and the administrators set the rotas;
members ask and accept swaps and declare their own absences.
"""

from __future__ import annotations

from webapp.accounts.models import OrgUnit, User
from webapp.accounts.roles import roles_of
from webapp.oncall.models import Rota, Swap


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _units_up(unit: OrgUnit | None) -> list[OrgUnit]:
    chain, seen = [], set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        chain.append(unit)
        unit = unit.parent
    return chain


def heads_unit(user: User, unit: OrgUnit | None) -> bool:
    """``user`` leads ``unit`` or a direction above it."""
    if not _signed_in(user) or user.unit_id is None:
        return False
    for level in _units_up(unit):
        if user.unit_id == level.id and (user.manager is None or user.manager.unit_id != level.id):
            return "manager" in roles_of(user)
    return False


def can_create_rota(user: User, unit: OrgUnit | None = None) -> bool:
    if not _signed_in(user):
        return False
    if user.is_admin:
        return True
    return heads_unit(user, unit) if unit is not None else heads_unit(user, user.unit)


def can_edit_rota(user: User, rota: Rota) -> bool:
    return _signed_in(user) and (user.is_admin or heads_unit(user, rota.unit))


def is_member(user: User, rota: Rota) -> bool:
    return _signed_in(user) and any(m.user_id == user.id for m in rota.members)


def can_view_rota(user: User, rota: Rota) -> bool:
    return is_member(user, rota) or can_edit_rota(user, rota)


def can_ask_swap(user: User, rota: Rota) -> bool:
    return is_member(user, rota)


def can_answer_swap(user: User, swap: Swap) -> bool:
    return _signed_in(user) and swap.target_id == user.id and is_member(user, swap.rota)


def can_cancel_swap(user: User, swap: Swap) -> bool:
    return _signed_in(user) and swap.requester_id == user.id


def sees_oncall(user: User) -> bool:
    """The navigation entry (asked on every page: no statement beyond the request's cached roles): the
    people of the services and the élus, who may be in a rota."""
    return _signed_in(user) and bool(roles_of(user) & {"agent", "elu", "manager", "admin"})
