"""Roles are derived from the organisation data, never stored as a flag a client could forge."""

from __future__ import annotations

from datetime import date
from functools import cache

from flask import g, has_request_context
from flask_login import current_user

from webapp.accounts.models import User
from webapp.core import facts
from webapp.core.clock import to_paris, utcnow
from webapp.extensions import db
from webapp.organisation.models import Elu, EluFunction, Mandate

AGENT_UNITS = ("direction", "service", "assemblies")
RESPONSIBILITIES = ("president", "vice_president", "commission_president")


def today() -> date:
    return to_paris(utcnow()).date()


def per_request(key: str, compute):
    """``compute()`` once per request (a page asks the same question from its navigation, its policies
    and its template); outside a request (worker, CLI, tests calling services) always fresh."""
    if not has_request_context():
        return compute()
    cache = g.setdefault("_roles_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget_per_request(key: str) -> None:
    """After a change that answers the question differently, later in the same request."""
    if has_request_context():
        g.get("_roles_cache", {}).pop(key, None)


def current_mandate() -> Mandate | None:
    """The mandate covering today, or the latest one when none does (between two terms)."""
    return per_request("mandate", _current_mandate)


def _current_mandate() -> Mandate | None:
    day = today()
    mandates = db.session.scalars(db.select(Mandate).order_by(Mandate.starts_on.desc())).all()
    for mandate in mandates:
        if mandate.covers(day):
            return mandate
    return mandates[0] if mandates else None


def current_mandate_id(day=None):
    """The current mandate's id as an SQL expression, so that a person's term is read in one statement
    (``day``: today by default, or a bound parameter in a statement built once)."""
    day = today() if day is None else day
    covering = (db.select(Mandate.id).where(Mandate.starts_on <= day, Mandate.ends_on >= day)
                .order_by(Mandate.starts_on.desc()).limit(1).scalar_subquery())
    latest = db.select(Mandate.id).order_by(Mandate.starts_on.desc()).limit(1).scalar_subquery()
    return db.func.coalesce(covering, latest)


def current_term(user: User) -> Elu | None:
    mandate = current_mandate()
    if mandate is None:
        return None
    return next((t for t in user.elu_terms if t.mandate_id == mandate.id), None)


def is_cabinet(user: User) -> bool:
    """The cabinet role alone, without the queries of ``roles_of``: policies ask it on every upload."""
    return user.unit is not None and user.unit.kind == "cabinet"


def roles_of(user: User) -> frozenset[str]:
    """Every role a person holds today, computed from where they sit in the organisation.

    Once per person and request; for the signed-in person, with the page's other facts (``core.facts``:
    no statement of its own), for anyone else, one statement.
    """
    return per_request(f"roles:{user.id}", lambda: _roles_of(user))


@cache
def _reports_and_functions_statement():
    """Built once per process: every page asks it (see ``roles_of``)."""
    user = db.bindparam("user", type_=User.id.type)
    reports = db.select(User.id).where(User.manager_id == user, User.active.is_(True)).exists()
    day = db.bindparam("day", type_=Mandate.starts_on.type)
    return (db.select(reports.label("manages"), Elu.id, EluFunction.kind).select_from(User)
            .outerjoin(Elu, db.and_(Elu.user_id == User.id, Elu.mandate_id == current_mandate_id(day)))
            .outerjoin(EluFunction, db.and_(EluFunction.elu_id == Elu.id, EluFunction.ended_on.is_(None)))
            .where(User.id == user))


def register_facts() -> None:
    """The signed-in person's roles are read with the navigation's facts: every page asks them."""
    def functions(user, now, day):
        return (db.select(db.func.aggregate_strings(EluFunction.kind, ",")).join(Elu, Elu.id == EluFunction.elu_id)
                .where(Elu.user_id == user, Elu.mandate_id == current_mandate_id(day), EluFunction.ended_on.is_(None))
                .scalar_subquery())

    facts.register("roles.manages", lambda user, now, day: db.select(User.id).where(
        User.manager_id == user, User.active.is_(True)).exists())
    facts.register("roles.seated", lambda user, now, day: db.select(Elu.id).where(
        Elu.user_id == user, Elu.mandate_id == current_mandate_id(day)).exists())
    facts.register("roles.functions", functions)


def _signed_in_person(user: User) -> bool:
    return has_request_context() and getattr(current_user, "id", None) == user.id


def _reports_and_functions(user: User) -> tuple[bool, list[str | None] | None]:
    """Whether the person manages anyone, and the kinds of their functions in the current mandate
    (``None`` entries for a seat without function; ``None`` when they hold no seat)."""
    if _signed_in_person(user):
        if not facts.of(user, "roles.seated"):
            return bool(facts.of(user, "roles.manages")), None
        kinds = facts.of(user, "roles.functions")
        return bool(facts.of(user, "roles.manages")), (kinds.split(",") if kinds else [None])
    rows = db.session.execute(_reports_and_functions_statement(), {"user": user.id, "day": today()}).all()
    manages = bool(rows and rows[0][0])
    seated = [kind for _manages, elu_id, kind in rows if elu_id is not None]
    return manages, (seated if seated else None)


def _roles_of(user: User) -> frozenset[str]:
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
    manages, functions = _reports_and_functions(user)
    if manages:
        roles.add("manager")
    if functions is not None:
        roles.add("elu")
        kinds = {kind for kind in functions if kind}
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
