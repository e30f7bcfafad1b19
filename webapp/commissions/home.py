"""Home-page to-dos of the bilan de commission: agents complete their aperçus, members comment them."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from webapp.accounts.roles import roles_of
from webapp.commissions import policy, service
from webapp.core.home import TodoItem, TodoSection


def sees_commissions(user) -> bool:
    roles = roles_of(user)
    return "cabinet" not in roles and bool(roles & {"agent", "elu", "assemblies"})


def todo_sections(user) -> list[TodoSection]:
    sections: list[TodoSection] = []
    if policy.can_create_apercu(user):
        drafts = service.unit_apercus(user.unit, status="draft", limit=10)
        sections.append(TodoSection(
            title=_("Aperçus politiques à compléter"), order=40, more_url=url_for("commissions.index"),
            empty=_("Aucun aperçu en brouillon dans votre service."),
            items=[TodoItem(a.title, url_for("commissions.edit_apercu", apercu_id=a.id), _("Brouillon à soumettre"))
                   for a in drafts]))
    if "elu" in roles_of(user):
        to_comment = service.apercus_to_comment(user)
        if to_comment:
            sections.append(TodoSection(
                title=_("Aperçus à commenter"), order=41, empty="", more_url=url_for("commissions.index"),
                items=[TodoItem(a.title, url_for("commissions.show_apercu", apercu_id=a.id, _anchor="space-elus"),
                                a.commission.name if a.commission else "") for a in to_comment]))
    return sections
