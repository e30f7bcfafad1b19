"""Stored notifications: every notification is listed in the app, whatever channel delivered it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid
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

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    kind: Mapped[str] = mapped_column(String(60), nullable=False)
    title: Mapped[str] = mapped_column(String(120), nullable=False)
    body: Mapped[str] = mapped_column(String(240), nullable=False, default="")
    url: Mapped[str] = mapped_column(String(500), nullable=False, default="/")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
