"""Excursions pratiques (003:757-812): a short field visit prepared by an agent with the élu(s) concerned,
the evidence captured on site (append-only, client UUIDs), its media, the mini-bilan and quota reminders."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey, Versioned
from webapp.core.uploads import UploadedFile
from webapp.extensions import db

# prepared: the visit is planned (evidence may already be captured on the day); done: it took place
# and counts for quotas; cancelled: it never happened.
STATUSES = ("prepared", "done", "cancelled")
ITEM_KINDS = ("text", "photo", "audio", "answer", "place", "consent")


class Excursion(UUIDKey, Timestamps, Versioned, db.Model):
    """One excursion pratique, its preparation, protocol and mini-bilan."""

    __tablename__ = "excursion"

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    dossier: Mapped[str] = mapped_column(Text, nullable=False, default="")
    organiser_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False, index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=120)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="prepared", index=True)
    checklist: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    consent_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The mini-bilan is edited by several people: ``bilan_revision`` is its ETag (If-Match).
    bilan_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    bilan_surprises: Mapped[str] = mapped_column(Text, nullable=False, default="")
    bilan_revision: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    bilan_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bilan_updated_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id"))

    organiser: Mapped[User] = relationship(foreign_keys=[organiser_id])
    bilan_updated_by: Mapped[User | None] = relationship(foreign_keys=[bilan_updated_by_id])
    participants: Mapped[list[Participant]] = relationship(
        back_populates="excursion", cascade="all, delete-orphan", order_by="Participant.invited_at")
    places: Mapped[list[Place]] = relationship(cascade="all, delete-orphan", order_by="Place.position")
    people: Mapped[list[Person]] = relationship(cascade="all, delete-orphan", order_by="Person.position")
    questions: Mapped[list[Question]] = relationship(cascade="all, delete-orphan", order_by="Question.position")
    items: Mapped[list[EvidenceItem]] = relationship(
        back_populates="excursion", cascade="all, delete-orphan", order_by="EvidenceItem.captured_at")

    @property
    def elus(self) -> list[User]:
        return [p.user for p in self.participants]


class Participant(db.Model):
    """An élu taking part; ``acknowledged_at`` records that they accepted the observer role."""

    __tablename__ = "excursion_participant"

    excursion_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("excursion.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), primary_key=True, index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    excursion: Mapped[Excursion] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()


class Place(UUIDKey, db.Model):
    """A place to visit, with optional coordinates."""

    __tablename__ = "excursion_place"

    excursion_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("excursion.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class Person(UUIDKey, db.Model):
    """Someone to meet (a user of the service, a partner…), not an account."""

    __tablename__ = "excursion_person"

    excursion_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("excursion.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class Question(UUIDKey, db.Model):
    """A question prepared for the visit; answers captured on site point to it."""

    __tablename__ = "excursion_question"

    excursion_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("excursion.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    text: Mapped[str] = mapped_column(Text, nullable=False)


class EvidenceItem(db.Model):
    """One capture made on a phone. Append-only; its id is the client's UUID, so a replay is a no-op."""

    __tablename__ = "excursion_item"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    excursion_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("excursion.id", ondelete="CASCADE"), nullable=False, index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    question_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("excursion_question.id"))
    person_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    consent_given: Mapped[bool | None] = mapped_column(Boolean)
    tags: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accuracy: Mapped[float | None] = mapped_column(Float)
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    excursion: Mapped[Excursion] = relationship(back_populates="items")
    author: Mapped[User] = relationship()
    question: Mapped[Question | None] = relationship()
    media: Mapped[Media | None] = relationship(back_populates="item", uselist=False, cascade="all, delete-orphan")


class Media(UploadedFile, db.Model):
    """A photo or audio file of an evidence item (columns and upload rules: ``core/uploads.py``)."""

    __tablename__ = "excursion_media"

    item_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("excursion_item.id", ondelete="CASCADE"), nullable=False, unique=True)

    item: Mapped[EvidenceItem] = relationship(back_populates="media")


class QuotaReminder(UUIDKey, db.Model):
    """A quota reminder already sent: one per élu and period, so a scan never reminds twice."""

    __tablename__ = "excursion_quota_reminder"
    __table_args__ = (UniqueConstraint("user_id", "period", name="uq_excursion_quota_reminder_user_period"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    period: Mapped[str] = mapped_column(String(80), nullable=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
