"""What the notes say of one pair (a service's notes to one élu) over a period, for the cooperation
review: one row per note, and the counts per situation type computed by the database."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String

from webapp.core.models import AuditEvent
from webapp.extensions import db
from webapp.notes.models import Answer, Delegation, Note, NoteAddressee, Renegotiation


def _of_pair(stmt, unit_ids, elu_id, start: datetime, end: datetime):
    """``stmt`` (which selects from ``note``) kept to the notes the service sent to the élu in the period."""
    return (stmt.join(NoteAddressee, db.and_(NoteAddressee.note_id == Note.id, NoteAddressee.user_id == elu_id))
            .where(Note.unit_id.in_(list(unit_ids)), Note.sent_at >= start, Note.sent_at < end))


def _type_key():
    # The type's id as the driver gives it (hex text on SQLite), not one UUID object built per row.
    return db.type_coerce(Note.situation_type_id, String)


def _days_between(later, earlier):
    """``later - earlier`` in days, computed by the database (no timestamp parsed in Python)."""
    if db.engine.dialect.name == "sqlite":
        return db.func.julianday(later) - db.func.julianday(earlier)
    return db.func.extract("epoch", later - earlier) / 86400.0


def pair_rows(unit_ids, elu_id, start: datetime, end: datetime, now: datetime) -> list[tuple]:
    """(situation type key, days to the first answer, hours to the receipt, first answer, judged, on
    time) of each note the service sent to the élu in the period. Judged: answered, or past its deadline
    at ``now``; on time: answered no later than its deadline. The type key is ``type_key``'s text."""
    answered = Note.answered_at.is_not(None)
    stmt = db.select(_type_key(), _days_between(Note.answered_at, Note.sent_at),
                     _days_between(NoteAddressee.acknowledged_at, Note.sent_at) * 24, Note.answered_at,
                     db.or_(answered, Note.deadline < now), db.and_(answered, Note.answered_at <= Note.deadline))
    return list(db.session.execute(_of_pair(stmt, unit_ids, elu_id, start, end)).all())


def type_key(type_id) -> str | None:
    """How ``pair_rows`` and ``pair_counts`` name a situation type."""
    if type_id is None:
        return None
    return type_id.hex if db.engine.dialect.name == "sqlite" else str(type_id)


def pair_counts(unit_ids, elu_id, start: datetime, end: datetime) -> dict[str, dict]:
    """{"delegations" | "renegotiations" | "questions": {situation type key: count}}, grouped in SQL."""
    counted = {}
    for name, model, condition in (("delegations", Delegation, True), ("renegotiations", Renegotiation, True),
                                   ("questions", Answer, Answer.kind == "question")):
        stmt = (db.select(_type_key(), db.func.count()).select_from(model).join(Note, Note.id == model.note_id)
                .where(condition))
        stmt = _of_pair(stmt, unit_ids, elu_id, start, end).group_by(Note.situation_type_id)
        counted[name] = dict(db.session.execute(stmt).all())
    return counted


def history_counts(unit_ids, elu_id, start: datetime, end: datetime, actions: tuple[str, ...]) -> dict[str, dict]:
    """{action: {situation type key: count}} of the pair's notes' history events (e.g. the on-call pages):
    the events are read by action (indexed, few), then their notes kept to the pair's."""
    events = db.session.execute(db.select(AuditEvent.action, AuditEvent.subject_id).where(
        AuditEvent.action.in_(actions), AuditEvent.subject_type == "Note", AuditEvent.at >= start)).all()
    counted: dict[str, dict] = {action: {} for action in actions}
    ids = list({uuid.UUID(subject) for _action, subject in events})
    kinds = {}
    for chunk in range(0, len(ids), 500):
        stmt = _of_pair(db.select(Note.id, Note.situation_type_id), unit_ids, elu_id, start, end)
        for note_id, type_id in db.session.execute(stmt.where(Note.id.in_(ids[chunk:chunk + 500]))):
            kinds[str(note_id)] = type_key(type_id)
    for action, subject in events:
        if subject in kinds:
            counted[action][kinds[subject]] = counted[action].get(kinds[subject], 0) + 1
    return counted
