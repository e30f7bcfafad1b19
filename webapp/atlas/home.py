"""Home-page to-dos of the atlas: posters to publish (assemblies), comments to write (groups, staff)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from webapp.accounts.roles import current_mandate
from webapp.atlas import policy, service
from webapp.core.home import TodoItem, TodoSection


def todo_sections(user) -> list[TodoSection]:
    if not policy.can_use_spaces(user):  # first: for most agents, from the page's facts, no statement
        return []
    mandate = current_mandate()
    if mandate is None:
        return []
    posters = service.posters(mandate)
    sections: list[TodoSection] = []
    if policy.can_manage(user):
        drafts = [p for p in posters if p.status == "draft"]
        sections.append(TodoSection(
            title=_("Affiches de l’atlas à publier"), order=60, more_url=url_for("atlas.manage"),
            empty=_("Aucune affiche en attente de publication."),
            items=[TodoItem(p.theme.name, url_for("atlas.poster_edit", poster_id=p.id), _("Brouillon"))
                   for p in drafts]))
    items = []
    for poster in posters:
        for group in policy.groups_of(user, poster):
            if service.political_comment(poster, group) is None:
                items.append(TodoItem(poster.theme.name, url_for("atlas.poster_edit", poster_id=poster.id),
                                      _("Commentaire du groupe %(g)s à rédiger", g=group.short_name)))
        if policy.can_write_staff(user, poster) and not poster.staff_text:
            items.append(TodoItem(poster.theme.name, url_for("atlas.poster_edit", poster_id=poster.id),
                                  _("Texte des représentants du personnel à rédiger")))
    if items:
        sections.append(TodoSection(title=_("Atlas de mandature : à rédiger"), order=61, items=items[:10],
                                    more_url=url_for("atlas.spaces")))
    return sections
