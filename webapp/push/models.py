"""Stored notifications: every notification is listed in the app, whatever channel delivered it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.core.types import UTCDateTime, UUIDKey
from webapp.extensions import db


class Notification(UUIDKey, db.Model):
    """One notification for one person: a short title and text, a link, read or not.

    Title and text are what a lock screen may show: never a note's content, only what happened.
    """

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_created", "user_id", "created_at"),  # the centre: a person's latest first
        # Every page's badge counts the person's unread ones: an index of those alone, counted without reading
        # the rows (an élu with thousands of notes has thousands of notifications).
        Index("ix_notification_unread", "user_id", "read_at", sqlite_where=text("read_at IS NULL"),
              postgresql_where=text("read_at IS NULL")),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(60), nullable=False)
    title: Mapped[str] = mapped_column(String(120), nullable=False)
    body: Mapped[str] = mapped_column(String(240), nullable=False, default="")
    url: Mapped[str] = mapped_column(String(500), nullable=False, default="/")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class PushSubscription(UUIDKey, db.Model):
    """One device's Web Push subscription (the browser's endpoint and encryption keys).

    The endpoint is unique: a device that signs in as someone else moves its subscription to that person.
    """

    __tablename__ = "push_subscription"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), nullable=False, unique=True)
    p256dh: Mapped[str] = mapped_column(String(200), nullable=False)
    auth: Mapped[str] = mapped_column(String(100), nullable=False)
    user_agent: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def info(self) -> dict:
        """The subscription as pywebpush expects it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushPreference(db.Model):
    """A person's notification preferences: kinds they do not want pushed, and quiet hours (Paris time).

    Without a row, the defaults apply: every kind, and nothing pushed between 22h and 7h.
    """

    __tablename__ = "push_preference"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    muted_kinds: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # No column default: None means "no quiet hours", and SQLAlchemy puts a column's default in place of an
    # explicit None when it inserts (a person's first save without quiet hours came back as 22h-7h).
    # The defaults for a person without a row are ``preferences.DEFAULT_QUIET``.
    quiet_start: Mapped[int | None] = mapped_column(Integer)
    quiet_end: Mapped[int | None] = mapped_column(Integer)
