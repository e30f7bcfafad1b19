"""The home page's to-do sections for notes: élus answer, managers agree deadlines, agents act."""

from __future__ import annotations

from functools import cache

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from webapp.accounts.roles import roles_of
from webapp.core.clock import to_paris, utcnow
from webapp.core.home import HomeAction, TodoItem, TodoSection, titles_by_link
from webapp.core.i18n import translated
from webapp.extensions import db
from webapp.notes import policy, service

_URGENCY_LABELS = {"overdue": "En retard", "today": "Échéance aujourd’hui", "soon": "Échéance proche",
                   "later": "À traiter", "paused": "En attente de l’auteur", "done": "Traitée"}


def urgency_label(key: str) -> str:
    return translated(_URGENCY_LABELS.get(key, key))


def sees_notes(user) -> bool:
    roles = roles_of(user)
    return "cabinet" not in roles and bool(roles & {"agent", "elu", "manager"})


def notes_url(user) -> str:
    """The notes page this person lands on: an élu without a service reads the inbox, others their notes.

    The navigation links straight to it (the same rule as ``views.index``): a redirect would not be kept
    by the service worker, so "Notes" would not open offline.
    """
    roles = roles_of(user)
    return url_for("notes.inbox") if "elu" in roles and "agent" not in roles else url_for("notes.index")


def actions(user) -> list[HomeAction]:
    return [HomeAction(_("Rédiger une note"), url_for("notes.new"), order=10)] if policy.can_create(user) else []


def notification_subjects(user, urls) -> dict[str, str]:
    """The title of each note the notifications link to, when this person may still read it."""
    return titles_by_link(user, urls, "/notes/", _subject_rows(), policy.can_view_row)


@cache
def _subject_rows():
    """Built once per process: each note's title, status, author and manager, and whether the person is an
    addressee, concerned or a delegatee of it (``policy.can_view_row``)."""
    from webapp.notes.models import Delegation, Note, NoteAddressee, delegation_delegatee, note_concerned

    me = db.bindparam("user", type_=Note.author_id.type)
    involved = db.or_(
        db.select(NoteAddressee.note_id).where(NoteAddressee.note_id == Note.id, NoteAddressee.user_id == me)
        .exists(),
        db.select(note_concerned.c.note_id).where(note_concerned.c.note_id == Note.id,
                                                   note_concerned.c.user_id == me).exists(),
        db.select(Delegation.id).join(delegation_delegatee, delegation_delegatee.c.delegation_id == Delegation.id)
        .where(Delegation.note_id == Note.id, delegation_delegatee.c.user_id == me).exists())
    return (db.select(Note.id, Note.title, Note.status, Note.author_id, Note.manager_id, involved.label("involved"))
            .where(Note.id.in_(db.bindparam("ids", expanding=True))))


def todo_sections(user) -> list[TodoSection]:
    roles = roles_of(user)
    if "cabinet" in roles:
        return []
    now = utcnow()
    sections: list[TodoSection] = []
    if "elu" in roles:
        notes = db.session.scalars(service.inbox_query(user, status="open", within=10).limit(10)).all()
        sections.append(TodoSection(
            title=_("Notes à traiter"), order=10, empty=_("Aucune note n’attend votre réponse."),
            more_url="/notes/inbox",
            items=[TodoItem(n.title, service.note_url(n), _detail(n, now), service.urgency(n, now)) for n in notes]))
    if "manager" in roles:
        notes = service.notes_to_agree(user)
        sections.append(TodoSection(
            title=_("Délais à convenir"), order=20, empty=_("Aucun délai à convenir."), more_url="/notes",
            items=[TodoItem(n.title, service.note_url(n), _("par %(name)s", name=n.author)) for n in notes]))
    delegated = service.delegated_to(user)
    if delegated:
        sections.append(TodoSection(
            title=_("Décisions qui vous sont déléguées"), order=15, more_url="/notes/inbox",
            items=[TodoItem(n.title, service.note_url(n), _detail(n, now), service.urgency(n, now))
                   for n in delegated]))
    if "agent" in roles:
        notes = service.author_todo(user)
        labels = {"draft": _("Brouillon"), "returned": _("Renvoyée par votre encadrant·e"),
                  "question": _("Question de l’élu·e à laquelle répondre")}
        sections.append(TodoSection(
            title=_("Mes notes à reprendre"), order=30, empty=_("Rien à reprendre."), more_url="/notes",
            items=[TodoItem(n.title, service.note_url(n), labels[n.status],
                            "today" if n.status == "question" else "later") for n in notes]))
    return sections


def _detail(note, now) -> str:
    key = service.urgency(note, now)
    if note.deadline is None:
        return urgency_label(key)
    if key == "overdue":
        return _("En retard")
    # A date reads better than "0 jours" on the morning a note is due.
    when = format_datetime(to_paris(note.deadline), "EEE d MMM, HH:mm")
    return urgency_label(key) + " · " + _("échéance %(when)s", when=when)
