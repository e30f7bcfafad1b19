"""Column types and mixins shared by every domain."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, TypeDecorator, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from webapp.core.clock import utcnow


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every backend.

    SQLite has no time zones and hands back naive values; this type stores UTC and always returns an
    aware datetime, so comparisons never mix naive and aware values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class UUIDKey:
    """A UUID primary key; clients may supply it for what they create offline."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class Timestamps:
    """Creation and update times, in UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)


class Versioned:
    """Every UPDATE of the row is a compare-and-set on ``version`` (SQLAlchemy's ``version_id_col``):
    ``UPDATE … SET version = v + 1 WHERE id = :id AND version = v``. When two requests change the row at
    once, the second matches no row and gets ``StaleDataError``: once-only changes (a decision, a lock, a
    publication) are decided by the database, on SQLite as on PostgreSQL. See ``core/concurrency.py``."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}
