"""The anti-manuel on the home page: an élu sees each pair's rules, one line per situation type; a
party sees the version waiting for their agreement."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from webapp.accounts.models import OrgUnit, User
from webapp.accounts.roles import roles_of
from webapp.cooperation import diffs, policy, service
from webapp.core import facts
from webapp.core.home import TodoItem, TodoSection
from webapp.extensions import db

HAS_CHARTER = "cooperation.has_charter"  # what ``service.charters_of`` would find is not empty


def register_facts() -> None:
    def has_charter(user, now, day):
        unit = db.select(User.unit_id).where(User.id == user).scalar_subquery()
        parent = db.select(OrgUnit.parent_id).where(OrgUnit.id == unit).scalar_subquery()
        return db.exists().where(service.charters_of_clause(user, unit, parent))

    facts.register(HAS_CHARTER, has_charter, on_demand=True)


def sees_nav(user) -> bool:
    roles = roles_of(user)
    return "cabinet" not in roles and bool(roles & {"elu", "manager", "agent", "admin"})


def todo_sections(user) -> list[TodoSection]:
    if "cabinet" in roles_of(user) or not facts.of(user, HAS_CHARTER):
        return []
    sections = []
    for charter in service.charters_of(user):
        url = url_for("cooperation.charter", charter_id=charter.id)
        draft = service.open_version(charter)
        if draft is not None and policy.can_agree(user, draft):
            sections.append(TodoSection(title=_("Anti-manuel à approuver"), order=15, items=[TodoItem(
                _("Version %(n)d de l’anti-manuel · %(u)s", n=draft.number, u=charter.unit.name), url,
                urgency="soon")]))
        if not any(e.id == user.id for e in charter.elus):
            continue
        version = service.agreed_version(charter)
        if version is None:
            continue
        items = [TodoItem(service.type_label(r.situation_type), url, detail=diffs.one_line(r))
                 for r in service.rules_with_types(version)]
        sections.append(TodoSection(title=_("Règles avec %(u)s", u=charter.unit.name), items=items, order=60,
                                    more_url=url))
    return sections
