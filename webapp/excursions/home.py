"""The home page's to-do section for excursions: to acknowledge, coming up, mini-bilans to write."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from webapp.core.clock import utcnow
from webapp.core.home import HomeAction, TodoItem, TodoSection, ids_in
from webapp.excursions import policy, service
from webapp.excursions.models import Excursion
from webapp.extensions import db


def actions(user) -> list[HomeAction]:
    return [HomeAction(_("Préparer une excursion"), url_for("excursions.new"), order=20)] \
        if policy.can_create(user) else []


def notification_subjects(user, urls) -> dict[str, str]:
    """The title of each excursion the notifications link to, when this person may still see it."""
    wanted = ids_in(urls, "/excursions/")
    # The participants in one more statement, not one per excursion (what ``can_view`` asks about).
    stmt = db.select(Excursion).where(Excursion.id.in_(list(wanted))).options(selectinload(Excursion.participants))
    found = db.session.scalars(stmt).all() if wanted else []
    return {wanted[e.id]: e.title for e in found if policy.can_view(user, e)}


def todo_sections(user) -> list[TodoSection]:
    if not policy.sees_excursions(user):
        return []
    now = utcnow()
    visible = service.visible_query(user).limit(50).options(selectinload(Excursion.participants))
    mine = [e for e in db.session.scalars(visible).all()
            if policy.is_organiser(user, e) or policy.is_participant(user, e)]
    items = [item for e in mine if (item := _todo(user, e, now)) is not None]
    return [TodoSection(title=_("Excursions pratiques"), items=items, order=40, more_url="/excursions",
                        empty=_("Aucune excursion en cours."))]


def _todo(user, excursion, now) -> TodoItem | None:
    url = service.excursion_url(excursion)
    participant = next((p for p in excursion.participants if p.user_id == user.id), None)
    if excursion.status == "prepared" and participant and participant.acknowledged_at is None:
        return TodoItem(excursion.title, url, _("Confirmez votre rôle d’observateur·rice"), "soon")
    if excursion.status == "prepared" and excursion.starts_at >= now:
        return TodoItem(excursion.title, url + "/capture", _("À venir"), "later")
    if excursion.status == "prepared":
        return TodoItem(excursion.title, url, _("Marquer comme réalisée et rédiger le mini-bilan"), "today")
    if excursion.status == "done" and not excursion.bilan_text:
        return TodoItem(excursion.title, url + "/bilan", _("Mini-bilan à rédiger"), "soon")
    return None
