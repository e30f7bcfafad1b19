"""Once-only changes under concurrency: compare-and-set on a version column, retried after a lost race.

Two phones deciding the same note at once both read version 3; the first ``UPDATE … WHERE version = 3``
wins, the second matches no row (SQLAlchemy raises ``StaleDataError`` at the flush). The loser rolls
back and runs its change again on the fresh state: the service's own checks then see what the winner did
and refuse with a ``Conflict`` naming it (409 with the current state). A change that does not clash
(someone else edited another field meanwhile) simply goes through on the second try.

On PostgreSQL the losing UPDATE waits for the winner's row lock, then re-reads the row (READ COMMITTED);
on SQLite writers are serialised by the database lock and a request's reads before its first write see
the latest commit. Either way exactly one writer of a version wins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from webapp.core.errors import DomainError
from webapp.extensions import db

T = TypeVar("T")
ATTEMPTS = 3


def compare_and_set(change: Callable[[], T]) -> T:
    """Run ``change`` (which checks the state it starts from, then flushes); after a lost race, roll back
    and run it again on the state the winner left."""
    for _attempt in range(ATTEMPTS):
        try:
            return change()
        except StaleDataError:
            db.session.rollback()
    raise DomainError(_("Quelqu’un a modifié cet élément en même temps que vous : rechargez-le."), status=409)


def insert_once(create: Callable[[], T], existing: Callable[[], T | None]) -> tuple[T, bool]:
    """Insert a row under a client-supplied id: ``(row, True)``. When a concurrent twin inserted it
    first (the unique key refuses ours at the flush), roll back and return ``(existing(), False)`` read
    afresh, for the caller to compare with what was sent. Never a 500 for a phone's double send."""
    try:
        return create(), True
    except IntegrityError:
        db.session.rollback()
        found = existing()
        if found is None:
            raise
        return found, False
