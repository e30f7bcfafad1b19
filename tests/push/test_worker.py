"""Delivery through a real huey queue, on SQLite storage and on the Redis server at 127.0.0.1:6379."""

from __future__ import annotations

import uuid

import pytest
from huey import RedisHuey, SqliteHuey

from webapp.extensions import db
from webapp.push import tasks
from webapp.push.models import Notification


def queue(kind: str, tmp_path):
    name = f"tandem-test-{uuid.uuid4().hex[:8]}"
    if kind == "sqlite":
        return SqliteHuey(name, filename=str(tmp_path / "queue.sqlite"))
    return RedisHuey(name, url="redis://127.0.0.1:6379/0")


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_the_worker_delivers_a_queued_notification(kind, tmp_path, make, subscribed, push_service):
    huey = queue(kind, tmp_path)
    deliver = huey.task()(tasks.deliver_notification.func)  # the same task body, on this queue
    try:
        elu = make.elu()
        subscribed(elu)
        notification = Notification(user_id=elu.id, kind="general", title="Nouvelle note", url="/notes/7")
        db.session.add(notification)
        db.session.commit()

        result = deliver(str(notification.id))
        assert huey.pending_count() == 1 and push_service.received == []
        huey.execute(huey.dequeue())  # what the consumer does
        assert result.get() == "sent"
        assert [m.payload["url"] for m in push_service.received] == ["/notes/7"]
    finally:
        huey.storage.flush_all()
