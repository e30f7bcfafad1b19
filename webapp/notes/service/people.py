"""Who a note may go to, concern, or be delegated to (élus of the current mandate, the author's direction)."""

from __future__ import annotations

from functools import cache

from flask_babel import gettext as _

from webapp.accounts.models import OrgUnit, User
from webapp.accounts.roles import current_mandate, current_mandate_id, current_term, is_cabinet, today
from webapp.extensions import db
from webapp.notes.service.common import _invalid
from webapp.organisation.models import Elu, EluFunction, delegation_unit


def _users(ids) -> list[User]:
    ids = list(dict.fromkeys(ids or []))
    if not ids:
        return []
    found = db.session.scalars(db.select(User).where(User.id.in_(ids), User.active.is_(True))).all()
    if len(found) != len(ids):
        raise _invalid(_("Une des personnes choisies est introuvable."), people=_("Personne introuvable."))
    return list(found)


def _check_elus(users: list[User], field: str) -> None:
    for user in users:
        if current_term(user) is None:
            raise _invalid(_("%(name)s n’est pas élu·e.", name=user.name), **{field: _("Choisissez des élus.")})


def _check_not_cabinet(users: list[User], field: str) -> None:
    # The cabinet is never associated with notes (DESIGN.md §1).
    for user in users:
        if is_cabinet(user):
            raise _invalid(_("Le cabinet n’est pas associé aux notes."), **{field: _("Personne non autorisée.")})


def current_elus() -> list[User]:
    """Élus of the current mandate, for the addressee and delegatee pickers."""
    mandate = current_mandate()
    if mandate is None:
        return []
    return list(db.session.scalars(db.select(User).join(Elu, Elu.user_id == User.id)
                                   .where(Elu.mandate_id == mandate.id, User.active.is_(True))
                                   .order_by(User.name)).all())


def colleagues_of(user: User) -> list[User]:
    """Agents of the person's direction (their service, its sibling services and the direction itself):
    who may be concerned by a note or receive a delegation. Never the cabinet."""
    unit = user.unit
    if unit is None or unit.kind == "cabinet":
        return []
    top = unit.parent if unit.parent is not None else unit
    unit_ids = [top.id] + [c.id for c in top.children]
    return list(db.session.scalars(db.select(User).where(
        User.active.is_(True), User.unit_id.in_(unit_ids)).order_by(User.name)).all())


def delegate_choices(author: User, actor: User):
    """Who an élu may delegate a note's decision to, in one statement: the author's direction
    (as ``colleagues_of``), then the current élus; never the élu themself. Rows of ``id``, ``name`` and
    ``unit_name`` only: every note page of an élu lists them (a département: a few hundred people), and
    building a ``User`` and its unit for each cost more than the rest of the page's statements."""
    unit = author.unit
    in_direction = unit is not None and unit.kind != "cabinet"
    values = {"actor": actor.id, "day": today()}
    if in_direction:
        values["top"] = unit.parent_id or unit.id
    return db.session.execute(_delegate_choices(in_direction), values).all()


@cache
def _delegate_choices(in_direction: bool):
    """``delegate_choices``'s statement, built once per process (building it cost more than running it)."""
    colleague = db.false()
    if in_direction:
        top = db.bindparam("top", type_=OrgUnit.id.type)
        colleague = User.unit_id.in_(db.select(OrgUnit.id).where(db.or_(OrgUnit.id == top, OrgUnit.parent_id == top)))
    seated = User.id.in_(db.select(Elu.user_id).where(
        Elu.mandate_id == current_mandate_id(db.bindparam("day", type_=db.Date()))))
    return (db.select(User.id, User.name, OrgUnit.name.label("unit_name"))
            .outerjoin(OrgUnit, OrgUnit.id == User.unit_id)
            .where(User.active.is_(True), User.id != db.bindparam("actor", type_=User.id.type),
                   db.or_(colleague, seated))
            .order_by(db.case((colleague, 0), else_=1), User.name))


def suggested_addressees(author: User) -> list[User]:
    """The élus whose delegation covers the author's service or its direction."""
    if author.unit_id is None:
        return []
    unit_ids = [author.unit_id] + ([author.unit.parent_id] if author.unit and author.unit.parent_id else [])
    mandate = current_mandate()
    if mandate is None:
        return []
    return list(db.session.scalars(
        db.select(User).join(Elu, Elu.user_id == User.id).join(EluFunction, EluFunction.elu_id == Elu.id)
        .join(delegation_unit, delegation_unit.c.function_id == EluFunction.id)
        .where(delegation_unit.c.unit_id.in_(unit_ids), Elu.mandate_id == mandate.id, EluFunction.ended_on.is_(None))
        .distinct()
        .order_by(User.name)).all())
