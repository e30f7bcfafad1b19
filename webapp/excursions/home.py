"""The home page's to-do section for excursions: to acknowledge, coming up, mini-bilans to write."""

from __future__ import annotations

from functools import cache

from flask import url_for
from flask_babel import gettext as _

from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.core.home import HomeAction, TodoItem, TodoSection, titles_by_link
from webapp.excursions import policy, service
from webapp.excursions.models import Excursion, Participant
from webapp.extensions import db


def actions(user) -> list[HomeAction]:
    return [HomeAction(_("Préparer une excursion"), url_for("excursions.new"), order=20)] \
        if policy.can_create(user) else []


def notification_subjects(user, urls) -> dict[str, str]:
    """The title of each excursion the notifications link to, when this person may still see it."""
    return titles_by_link(user, urls, "/excursions/", _subject_rows(), policy.can_view_row)


@cache
def _subject_rows():
    """Built once per process: each excursion's title and organiser, whether the person takes part, and
    whether they manage its organiser or an élu taking part (``policy.can_view_row``)."""
    me = db.bindparam("user", type_=Participant.user_id.type)
    member = db.aliased(User)
    involved = db.select(Participant.user_id).where(Participant.excursion_id == Excursion.id,
                                                    Participant.user_id == me).exists()
    managed = db.or_(
        db.select(member.id).where(member.id == Excursion.organiser_id, member.manager_id == me).exists(),
        db.select(Participant.user_id).join(member, member.id == Participant.user_id)
        .where(Participant.excursion_id == Excursion.id, member.manager_id == me).exists())
    return (db.select(Excursion.id, Excursion.title, Excursion.organiser_id, involved.label("involved"),
                      managed.label("managed")).where(Excursion.id.in_(db.bindparam("ids", expanding=True))))


def todo_sections(user) -> list[TodoSection]:
    if not policy.sees_excursions(user):
        return []
    now = utcnow()
    rows = db.session.execute(_own_open_excursions(), {"user": user.id}).all()
    items = [item for row in rows if (item := _todo(row, now)) is not None]
    return [TodoSection(title=_("Excursions pratiques"), items=items, order=40, more_url="/excursions",
                        empty=_("Aucune excursion en cours."))]


@cache
def _own_open_excursions():
    """The person's own excursions (organised, or taken part in) that may still ask something of them, the
    newest 50, as rows with the person's acknowledgement: built once per process, every home page runs it."""
    me = db.bindparam("user", type_=Participant.user_id.type)
    return (db.select(Excursion.id, Excursion.title, Excursion.status, Excursion.starts_at,
                      (Excursion.bilan_text == "").label("bilan_missing"), Participant.user_id.label("participant"),
                      Participant.acknowledged_at)
            .outerjoin(Participant, db.and_(Participant.excursion_id == Excursion.id, Participant.user_id == me))
            .where(db.or_(Excursion.organiser_id == me, Participant.user_id.is_not(None)),
                   db.or_(Excursion.status == "prepared",
                          db.and_(Excursion.status == "done", Excursion.bilan_text == "")))
            .order_by(Excursion.starts_at.desc()).limit(50))


def _todo(row, now) -> TodoItem | None:
    url = service.excursion_url(row)
    if row.status == "prepared" and row.participant is not None and row.acknowledged_at is None:
        return TodoItem(row.title, url, _("Confirmez votre rôle d’observateur·rice"), "soon")
    if row.status == "prepared" and row.starts_at >= now:
        return TodoItem(row.title, url + "/capture", _("À venir"), "later")
    if row.status == "prepared":
        return TodoItem(row.title, url, _("Marquer comme réalisée et rédiger le mini-bilan"), "today")
    if row.status == "done" and row.bilan_missing:
        return TodoItem(row.title, url + "/bilan", _("Mini-bilan à rédiger"), "soon")
    return None
