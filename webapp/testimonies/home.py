"""The home page's to-do for the assemblies service: testimonies collected and not yet published (shown only
when there are some, so that the home page stays about what waits)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from webapp.core.home import TodoItem, TodoSection
from webapp.extensions import db
from webapp.testimonies import policy, service
from webapp.testimonies.models import Testimony


def todo_sections(user) -> list[TodoSection]:
    if not policy.can_collect(user):
        return []
    drafts = db.session.scalars(db.select(Testimony).where(Testimony.status == "draft")
                                .order_by(Testimony.created_at).limit(20)).all()
    if not drafts:
        return []
    items = [TodoItem(t.speaker_name, url_for("testimonies.edit", testimony_id=t.id), _why(t), "soon")
             for t in drafts]
    return [TodoSection(title=_("Témoignages à publier"), items=items, order=65,
                        more_url=url_for("testimonies.manage"))]


def _why(testimony) -> str:
    missing = service.missing_for_publication(testimony)
    return _("Avant de publier : %(what)s", what=", ".join(missing)) if missing else _("Prêt à publier")
