"""What every step of a note shares: its URL, loading it whole, the 409 naming what happened first."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import inspect
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from webapp.accounts.models import OrgUnit, User
from webapp.core.clock import PARIS, utcnow
from webapp.core.errors import Conflict, DomainError
from webapp.extensions import db
from webapp.notes.models import Answer, Delegation, Note, NoteAddressee, Renegotiation, note_concerned

DEADLINE_HOUR = time(18, 0)  # a deadline given as a day means the end of that working day, Paris time


def _invalid(message: str, **fields) -> DomainError:
    return DomainError(message, fields={k: [v] for k, v in fields.items()}, status=422)


def note_url(note: Note) -> str:
    # A plain path: services run in the worker too, where no request exists to build URLs from.
    return f"/notes/{note.id}"


def deadline_from_day(day: date) -> datetime:
    """A deadline chosen as a day ends at 18:00 Paris time on that day."""
    return datetime.combine(day, DEADLINE_HOUR, tzinfo=PARIS).astimezone(utcnow().tzinfo)


def get_note(note_id, *, whole: bool = False) -> Note | None:
    """A note; ``whole`` loads everything its page shows, in a fixed number of statements whatever the
    number of addressees, answers, delegations or attachments."""
    if not whole:
        return db.session.get(Note, note_id)
    row = db.session.execute(_whole_note(), {"note": note_id}).unique().first()
    if row is None:
        return None
    note, *present = row
    # Most notes have no delegation, renegotiation or person concerned, and none has answers before the
    # élu answered: a collection the note's row says is empty is set so, without a statement of its own.
    for (name, load), has_rows in zip(_COLLECTIONS, present, strict=True):
        if has_rows:
            set_committed_value(note, name, list(db.session.scalars(load(), {"note": note.id}).unique()))
        else:
            set_committed_value(note, name, [])
    return note


def known_empty(note: Note) -> None:
    """A note just inserted has nothing under it but what its creation set: its other collections are
    set empty instead of being read (five SELECTs in the answer to a draft's creation)."""
    state = inspect(note)
    for relationship in state.mapper.relationships:
        if relationship.uselist and relationship.key not in state.dict:
            set_committed_value(note, relationship.key, [])


@cache
def _whole_note():
    """The note page's statement, built once per process (building it costs more than running it): the
    note with its author, who agreed its deadline, service, options and attachments joined (bounded: 8
    options, 10 attachments),
    its addressees with their people, and whether each unbounded collection has rows."""
    present = [db.exists().where(column == Note.id) for column in
               (Answer.note_id, note_concerned.c.note_id, Delegation.note_id, Renegotiation.note_id)]
    return (db.select(Note, *present).where(Note.id == db.bindparam("note", type_=Note.id.type))
            .options(joinedload(Note.author), joinedload(Note.agreed_by),
                     joinedload(Note.unit).joinedload(OrgUnit.parent), joinedload(Note.options),
                     joinedload(Note.attachments), selectinload(Note.addressees).joinedload(NoteAddressee.user)))


def _rows_of(entity, note_column, *options, order):
    """A collection of the note page as a statement built once, with the people it shows joined in, in the
    relationship's order."""
    return cache(lambda: db.select(entity).where(note_column == db.bindparam("note", type_=Note.id.type))
                 .options(*options).order_by(*order))


# In the order of ``_whole_note``'s flags: (relationship, its statement).
_COLLECTIONS = (
    ("answers", _rows_of(Answer, Answer.note_id, joinedload(Answer.author), order=(Answer.created_at,))),
    ("concerned", cache(lambda: db.select(User).join(note_concerned, note_concerned.c.user_id == User.id)
                        .where(note_concerned.c.note_id == db.bindparam("note", type_=Note.id.type))
                        .order_by(User.name))),
    ("delegations", _rows_of(Delegation, Delegation.note_id, joinedload(Delegation.by),
                             joinedload(Delegation.delegatees), order=(Delegation.created_at,))),
    ("renegotiations", _rows_of(Renegotiation, Renegotiation.note_id, joinedload(Renegotiation.requested_by),
                                joinedload(Renegotiation.settled_by),
                                order=(Renegotiation.created_at,))),
)


def _verdict_label(answer: Answer) -> str:
    if answer.verdict == "option" and answer.option is not None:
        return _("option %(label)s", label=answer.option.label)
    return _("approuvé") if answer.verdict == "approve" else _("refusé")


def state_message(note: Note) -> str:
    """What happened to the note, named for the person whose action came too late."""
    if note.status == "decided" and note.decision is not None:
        return _("%(name)s a déjà décidé : %(what)s", name=note.decision.author.name,
                 what=_verdict_label(note.decision))
    if note.status == "delegated" and note.delegations:
        last = note.delegations[-1]
        return _("%(name)s a délégué la décision à %(to)s.", name=last.by.name,
                 to=", ".join(u.name for u in last.delegatees))
    if note.status == "question":
        return _("Une question attend la réponse de l’auteur : la note est en pause.")
    if note.status == "returned":
        return _("La note a été renvoyée à son auteur.")
    if note.status == "sent" and note.agreed_by is not None:
        return _("%(name)s a déjà convenu du délai : la note est transmise.", name=note.agreed_by.name)
    return _("La note a changé entre-temps : rechargez-la.")


def conflict(note: Note) -> Conflict:
    """409 with the note as it is now: the step was taken by someone else, or the note moved on."""
    return Conflict(state_message(note), subject=note)


def _expect(allowed: bool, note: Note) -> None:
    # Checked again inside the compare-and-set: the state read before the race may be gone.
    if not allowed:
        raise conflict(note)


def _snapshot(note: Note) -> dict:
    return {"status": note.status, "deadline": note.deadline, "deadline_argument": note.deadline_argument,
            "proposed_deadline": note.proposed_deadline}


def _first_response(note: Note, now: datetime) -> None:
    if note.answered_at is None:
        note.answered_at = now


def _answer_audience(note: Note) -> list[User]:
    # Answers go straight to the author and the concerned agents, not back up the hierarchy (003:724-731).
    # Read in one statement: a decision would otherwise load the author, then the concerned agents.
    return list(db.session.scalars(_audience(), {"note": note.id, "author": note.author_id}))


@cache
def _audience():
    concerned = db.select(note_concerned.c.user_id).where(
        note_concerned.c.note_id == db.bindparam("note", type_=Note.id.type))
    return db.select(User).where(db.or_(User.id == db.bindparam("author", type_=User.id.type),
                                        User.id.in_(concerned))).order_by(User.name)
