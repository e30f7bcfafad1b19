"""Forum des politiques publiques (003:519-562): the new élus' profiles (portrait, recurring
unavailabilities, declared interests), the services' stands and the questions élus leave on them.

A profile belongs to one élu's seat (``Elu``) in one mandate: a re-elected person fills a new one.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Time, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import OrgUnit, User
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey
from webapp.extensions import db
from webapp.organisation.models import Elu

PERIODS = ("day", "morning", "afternoon", "hours")
# The categories of the French déclaration d'intérêts (HATVP), in its order.
INTEREST_CATEGORIES = ("professional", "consulting", "board", "association", "mandate", "shareholding")


class EluProfile(UUIDKey, Timestamps, db.Model):
    """What an élu tells about themselves at the forum; the portrait file lives under instance/media."""

    __tablename__ = "forum_profile"

    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("elu.id", ondelete="CASCADE"), unique=True,
                                              nullable=False)
    presentation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    themes: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    preferred_contact: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    # SHA-256 of the square portrait: the file is named after it, so the same picture is stored once.
    portrait_sha256: Mapped[str | None] = mapped_column(String(64))
    portrait_type: Mapped[str | None] = mapped_column(String(20))
    consent_public: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    elu: Mapped[Elu] = relationship()

    @property
    def complete(self) -> bool:
        """What the assemblies service waits for before the wishes open."""
        return bool(self.portrait_sha256 and self.presentation.strip() and self.themes.strip()
                    and self.preferred_contact.strip())


class Unavailability(UUIDKey, db.Model):
    """A recurring agenda constraint: every given weekday (whole day, half-day or hours), between dates."""

    __tablename__ = "forum_unavailability"

    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("elu.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    weekday: Mapped[int] = mapped_column(Integer, nullable=False)  # 0 = Monday, as date.weekday()
    period: Mapped[str] = mapped_column(String(12), nullable=False, default="day")
    starts_at: Mapped[time | None] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(300), nullable=False, default="")


class DeclaredInterest(UUIDKey, db.Model):
    """A function or interest held elsewhere, in one category of the déclaration d'intérêts."""

    __tablename__ = "forum_interest"

    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("elu.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    organisation: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)


class Stand(UUIDKey, Timestamps, db.Model):
    """A direction's or service's stand: its missions and current projects, written by its agents."""

    __tablename__ = "forum_stand"
    __table_args__ = (UniqueConstraint("unit_id", name="uq_forum_stand_unit"),)

    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("org_unit.id", ondelete="CASCADE"), nullable=False)
    missions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    projects: Mapped[str] = mapped_column(Text, nullable=False, default="")

    unit: Mapped[OrgUnit] = relationship()


class StandQuestion(UUIDKey, Timestamps, db.Model):
    """An élu's question on a stand, and the service's answer (one, editable by its agents)."""

    __tablename__ = "forum_question"

    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("org_unit.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    private: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[OrgUnit] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
