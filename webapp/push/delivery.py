"""Plugs delivery into ``notify()``: new notifications are queued for the worker once committed.

Queueing waits for the commit so the worker never looks for a notification that is not yet visible
(or that a rollback removed).
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from webapp.extensions import db
from webapp.push import tasks  # noqa: F401 (registers the worker tasks)
from webapp.push.service import on_new_notifications

PENDING = "tandem_push_pending"


def _remember(ids) -> None:
    db.session.info.setdefault(PENDING, []).extend(str(i) for i in ids)


def _after_commit(session) -> None:
    ids = session.info.pop(PENDING, [])
    if ids:
        from webapp.push.tasks import deliver_notification

        for notification_id in ids:
            deliver_notification(notification_id)


def _after_rollback(session) -> None:
    session.info.pop(PENDING, None)


def register(app: Flask) -> None:
    on_new_notifications(_remember)
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", lambda session, tx: _after_rollback(session))
