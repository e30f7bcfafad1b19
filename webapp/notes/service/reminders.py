"""Deadline reminders: 24 h before, at the deadline, then escalation once overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from webapp.accounts.models import User
from webapp.core.audit import record
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes.models import Note, NoteReminder
from webapp.notes.service.common import note_url
from webapp.push.service import notify

REMIND_BEFORE = timedelta(hours=24)


def _reminded(note: Note, step: str) -> bool:
    return db.session.scalar(db.select(NoteReminder.id).where(
        NoteReminder.note_id == note.id, NoteReminder.step == step, NoteReminder.deadline == note.deadline)) is not None


def _actors(note: Note) -> list[User]:
    # Whoever must act now: the delegatees once delegated, otherwise the addressee élus.
    return note.delegatees if note.status == "delegated" else note.addressee_users


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind 24 h before and at the deadline; escalate once overdue (author and manager told).

    Each step is recorded per deadline value, so running the scan again never repeats a reminder.
    A paused note (question back) gets none. Returns how many steps were sent.
    """
    now = now or utcnow()
    notes = db.session.scalars(db.select(Note).where(Note.status.in_(("sent", "delegated")),
                                                     Note.deadline <= now + REMIND_BEFORE)).all()
    sent = 0
    for note in notes:
        for step in _steps_due(note, now):
            if _reminded(note, step):
                continue
            db.session.add(NoteReminder(note_id=note.id, step=step, deadline=note.deadline, sent_at=now))
            _send_step(note, step)
            record(None, f"note.reminder_{step}", note, after={"deadline": note.deadline})
            sent += 1
    db.session.flush()
    return sent


def _steps_due(note: Note, now: datetime) -> list[str]:
    overdue_after = timedelta(hours=1)  # "at the deadline" first, escalation once it is clearly missed
    steps = []
    if now >= note.deadline - REMIND_BEFORE and now < note.deadline:
        steps.append("before")
    if now >= note.deadline:
        steps.append("due")
    if now >= note.deadline + overdue_after:
        steps.append("overdue")
    return steps


def _send_step(note: Note, step: str) -> None:
    url = note_url(note)
    if step == "before":
        notify(_actors(note), kind="note.reminder", title=_l("Échéance demain"),
               body=_l("Une note attend votre réponse dans moins de 24 heures."), url=url)
    elif step == "due":
        notify(_actors(note), kind="note.due", title=_l("Échéance atteinte"),
               body=_l("Le délai de réponse d’une note est atteint."), url=url)
    else:
        notify(_actors(note), kind="note.overdue", title=_l("Note en retard"),
               body=_l("Le délai de réponse convenu est dépassé."), url=url)
        notify([note.author, note.manager], kind="note.overdue_escalation", title=_l("Note en retard"),
               body=_l("Une note de votre service attend toujours sa réponse après le délai convenu."), url=url)
