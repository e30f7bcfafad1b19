"""Roles are derived from the organisation data, never stored as a flag a client could forge."""

from __future__ import annotations

from datetime import date

from webapp.accounts.models import Elu, Mandate, User
from webapp.core.clock import to_paris, utcnow
from webapp.extensions import db

AGENT_UNITS = ("direction", "service", "assemblies")
RESPONSIBILITIES = ("president", "vice_president", "commission_president")


def today() -> date:
    return to_paris(utcnow()).date()


def current_mandate() -> Mandate | None:
    """The mandate covering today, or the latest one when none does (between two terms)."""
    day = today()
    mandates = db.session.scalars(db.select(Mandate).order_by(Mandate.starts_on.desc())).all()
    for mandate in mandates:
        if mandate.covers(day):
            return mandate
    return mandates[0] if mandates else None


def current_term(user: User) -> Elu | None:
    mandate = current_mandate()
    if mandate is None:
        return None
    return next((t for t in user.elu_terms if t.mandate_id == mandate.id), None)


def has_reports(user: User) -> bool:
    return db.session.scalar(
        db.select(db.func.count()).select_from(User).where(User.manager_id == user.id, User.active.is_(True))
    ) > 0


def is_cabinet(user: User) -> bool:
    """The cabinet role alone, without the queries of ``roles_of``: policies ask it on every upload."""
    return user.unit is not None and user.unit.kind == "cabinet"


def roles_of(user: User) -> frozenset[str]:
    """Every role a person holds today, computed from where they sit in the organisation."""
    roles: set[str] = set()
    if user.is_admin:
        roles.add("admin")
    unit = user.unit
    if unit is not None and unit.kind in AGENT_UNITS:
        roles.add("agent")
    if unit is not None and unit.kind == "assemblies":
        roles.add("assemblies")
    if is_cabinet(user):
        roles.add("cabinet")
    if has_reports(user):
        roles.add("manager")
    term = current_term(user)
    if term is not None:
        roles.add("elu")
        kinds = {f.kind for f in term.functions}
        roles.update(kinds)
        if kinds & set(RESPONSIBILITIES):
            roles.add("responsibilities")
    return frozenset(roles)


ROLE_LABELS = {
    "admin": "administration",
    "agent": "agent",
    "manager": "encadrant",
    "assemblies": "service des assemblées",
    "cabinet": "cabinet",
    "elu": "élu",
    "president": "président",
    "vice_president": "vice-président",
    "conseiller_delegue": "conseiller délégué",
    "commission_president": "président de commission",
    "responsibilities": "élu à responsabilités",
}
