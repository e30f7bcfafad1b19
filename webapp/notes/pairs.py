"""What the notes say of one pair (a service's notes to one élu) over a period, for the cooperation
review: one row per note, and the counts per situation type computed by the database."""

from __future__ import annotations

from datetime import datetime

from webapp.core.models import AuditEvent
from webapp.extensions import db
from webapp.notes.models import Answer, Delegation, Note, NoteAddressee, Renegotiation


def _pair_notes(unit_ids, elu_id, start: datetime, end: datetime):
    return (db.select(Note.id).join(NoteAddressee, db.and_(NoteAddressee.note_id == Note.id,
                                                           NoteAddressee.user_id == elu_id))
            .where(Note.unit_id.in_(list(unit_ids)), Note.sent_at >= start, Note.sent_at < end))


def pair_rows(unit_ids, elu_id, start: datetime, end: datetime) -> list[tuple]:
    """(id, situation type id, sent, first answer, deadline, acknowledged) of each note the service sent
    to the élu in the period."""
    stmt = (db.select(Note.id, Note.situation_type_id, Note.sent_at, Note.answered_at, Note.deadline,
                      NoteAddressee.acknowledged_at)
            .join(NoteAddressee, db.and_(NoteAddressee.note_id == Note.id, NoteAddressee.user_id == elu_id))
            .where(Note.unit_id.in_(list(unit_ids)), Note.sent_at >= start, Note.sent_at < end))
    return list(db.session.execute(stmt).all())


def pair_counts(unit_ids, elu_id, start: datetime, end: datetime) -> dict[str, dict]:
    """{"delegations" | "renegotiations" | "questions": {situation type id: count}}, grouped in SQL."""
    notes = _pair_notes(unit_ids, elu_id, start, end).subquery()
    counted = {}
    for name, model, condition in (("delegations", Delegation, True), ("renegotiations", Renegotiation, True),
                                   ("questions", Answer, Answer.kind == "question")):
        stmt = (db.select(Note.situation_type_id, db.func.count()).select_from(model)
                .join(notes, notes.c.id == model.note_id).join(Note, Note.id == model.note_id)
                .where(condition).group_by(Note.situation_type_id))
        counted[name] = dict(db.session.execute(stmt).all())
    return counted


def history_counts(note_ids: dict, actions: tuple[str, ...], start: datetime) -> dict[str, dict]:
    """{action: {situation type id: count}} of the notes' history events (e.g. the on-call pages), read
    by action (indexed) and matched to the pair's notes here. ``note_ids``: {note id: situation type}."""
    by_text = {str(note_id): kind for note_id, kind in note_ids.items()}
    counted: dict[str, dict] = {action: {} for action in actions}
    rows = db.session.execute(db.select(AuditEvent.action, AuditEvent.subject_id).where(
        AuditEvent.action.in_(actions), AuditEvent.subject_type == "Note", AuditEvent.at >= start))
    for action, subject_id in rows:
        if subject_id in by_text:
            kind = by_text[subject_id]
            counted[action][kind] = counted[action].get(kind, 0) + 1
    return counted
