"""The notification badge (on every page) and the notification centre read by index, however many
notifications pile up: an élu with thousands of notes has thousands of them, most read long ago."""

from __future__ import annotations

import uuid
from datetime import timedelta

from tests.notes.test_list_plans import plans
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.push import service
from webapp.push.models import Notification

NOTIFICATIONS = 30_000


def test_the_badge_and_the_centre_read_by_index(make):
    heavy, others = make.elu("Élue chargée"), [make.agent(f"Agent {i}") for i in range(10)]
    now = utcnow()
    rows = []
    for i in range(NOTIFICATIONS):
        person = heavy if i % 3 else others[i % len(others)]
        at = now - timedelta(minutes=NOTIFICATIONS - i)
        rows.append(dict(id=uuid.uuid4(), user_id=person.id, kind="note.sent", title="Nouvelle note", body="",
                         url="/", created_at=at, read_at=None if i >= NOTIFICATIONS - 300 else at))
    db.session.execute(Notification.__table__.insert(), rows)
    db.session.commit()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    assert heavy.id and others[0].id  # loaded again after the commit, outside the statements explained

    badge = plans(lambda: service.unread_count(heavy))
    assert len(badge) == 1 and "ix_notification_unread" in badge[0], badge
    for person in (heavy, others[0]):
        (centre,) = plans(lambda person=person: service.recent(person))
        # Read in order through an index (PostgreSQL may walk the dates backwards for the heaviest person,
        # whose rows are most of the table), never the whole table, never sorted.
        assert "Index Scan" in centre or "USING INDEX ix_notification_user_created" in centre, centre
        assert "TEMP B-TREE" not in centre and "Sort" not in centre, centre
    # What they read is right: the unread count, and the latest first.
    assert service.unread_count(heavy) == 200
    latest = service.recent(heavy, limit=3)
    assert [row.created_at for row in latest] == sorted((row.created_at for row in latest), reverse=True)
    assert latest[0].created_at == max(r["created_at"] for r in rows if r["user_id"] == heavy.id)
