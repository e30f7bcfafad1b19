"""What every step of a note shares: its URL, loading it whole, the 409 naming what happened first."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.models import OrgUnit, User
from webapp.core.clock import PARIS, utcnow
from webapp.core.errors import Conflict, DomainError
from webapp.extensions import db
from webapp.notes.models import Answer, Delegation, Note, NoteAddressee, Renegotiation

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
    return db.session.get(Note, note_id, options=_page_options() if whole else ())


def _page_options():
    # Options (8 at most) and attachments (10 at most) join the note's own statement: a bounded product.
    # Unbounded collections get one statement each, with the people they show joined in.
    return (joinedload(Note.author), joinedload(Note.unit).joinedload(OrgUnit.parent),
            joinedload(Note.options), joinedload(Note.attachments),
            selectinload(Note.addressees).joinedload(NoteAddressee.user),
            selectinload(Note.answers).joinedload(Answer.author),
            selectinload(Note.concerned),
            selectinload(Note.delegations).options(joinedload(Delegation.by), joinedload(Delegation.delegatees)),
            selectinload(Note.renegotiations).options(joinedload(Renegotiation.requested_by),
                                                      joinedload(Renegotiation.settled_by)))


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
    return [note.author, *note.concerned]
