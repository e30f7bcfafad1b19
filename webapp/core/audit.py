"""Writing audit events from services."""

from __future__ import annotations

from typing import Any

from webapp.core.models import AuditEvent
from webapp.extensions import db


def record(actor, action: str, subject, before: dict | None = None, after: dict | None = None) -> AuditEvent:
    """Append one event; the caller's transaction commits it with the change it describes."""
    evt = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=type(subject).__name__,
        subject_id=str(subject.id),
        before=_jsonable(before),
        after=_jsonable(after),
    )
    db.session.add(evt)
    return evt


def _jsonable(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {k: _plain(v) for k, v in values.items()}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return str(value)


def history(subject) -> list[AuditEvent]:
    """The events of one object, oldest first."""
    return db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.subject_type == type(subject).__name__, AuditEvent.subject_id == str(subject.id))
        .order_by(AuditEvent.at)
    ).all()
