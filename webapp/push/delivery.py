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
    # A savepoint's release fires this event too, inside the real transaction: its rows are not visible
    # to the worker yet, so the queue waits for the outermost commit.
    if session.in_nested_transaction():
        return
    ids = session.info.pop(PENDING, [])
    if ids:
        from webapp.push.tasks import deliver_notification

        for notification_id in ids:
            deliver_notification(notification_id)


def _after_rollback(session) -> None:
    # A savepoint's rollback (a unique key lost to a twin worker) leaves the transaction and the
    # notifications already made in it alive: only the outermost rollback forgets them. One made inside the
    # rolled-back savepoint is then queued with the others and skipped by the worker, which finds no row.
    if not session.in_transaction():
        session.info.pop(PENDING, None)


def register(app: Flask) -> None:
    on_new_notifications(_remember)
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", lambda session, tx: _after_rollback(session))
