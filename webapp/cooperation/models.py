"""Coopération agile (003:625-693): the anti-manuel of one service (or direction) with its élu(s)
référent(s). Its rules are Tandem's parameters: per situation type, the modality, the default response
deadline, who decides, the notification channel and quiet hours, the presence required.

Every version is kept; a version is agreed when each élu référent and the head of service agreed it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import OrgUnit, User
from webapp.core.clock import utcnow
from webapp.core.types import UTCDateTime, UUIDKey, Versioned
from webapp.extensions import db

# note en stock, point hebdomadaire, appel, astreinte, délégation permanente (to a named delegatee).
MODALITIES = ("note", "weekly_meeting", "call", "oncall", "standing_delegation")
DECIDERS = ("elu", "elu_or_head", "head", "delegatee")
CHANNELS = ("push", "email", "in_app")
PRESENCES = ("none", "remote", "on_site", "meeting")
# draft: being written; proposed: waiting for every agreement; agreed: the rules in force;
# superseded: an agreed version replaced by a later one. Every version is kept.
VERSION_STATUSES = ("draft", "proposed", "agreed", "superseded")
OPEN_STATUSES = ("draft", "proposed")


class SituationType(UUIDKey, db.Model):
    """One entry of the catalogue of situations (décision courante, crise hors heures ouvrées…), with the
    defaults a new rule starts from. The catalogue is shared and editable: a pair may add an entry."""

    __tablename__ = "coop_situation_type"

    key: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    label: Mapped[str] = mapped_column(String(120), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=100)
    default_modality: Mapped[str] = mapped_column(String(30), nullable=False, default="note")
    default_days: Mapped[int] = mapped_column(Integer, nullable=False, default=7)
    default_urgent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))


charter_elu = Table(
    "coop_charter_elu",
    db.metadata,
    Column("charter_id", Uuid, ForeignKey("coop_charter.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_coop_charter_elu_user", "user_id", "charter_id"),  # the anti-manuels of an élu
)


class Charter(UUIDKey, Versioned, db.Model):
    """The anti-manuel of one unit (service or direction): its head, its élus référents, its versions."""

    __tablename__ = "coop_charter"

    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("org_unit.id", ondelete="CASCADE"), unique=True,
                                               nullable=False)
    head_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False, index=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # When the first version was agreed: the six-month review is due from there.
    first_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set once by the reminder task (a conditional UPDATE): the review reminder is sent once.
    review_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[OrgUnit] = relationship()
    head: Mapped[User] = relationship(foreign_keys=[head_id])
    elus: Mapped[list[User]] = relationship(secondary=charter_elu, order_by="User.name")
    versions: Mapped[list[CharterVersion]] = relationship(back_populates="charter", cascade="all, delete-orphan",
                                                          order_by="CharterVersion.number")


class CharterVersion(UUIDKey, Versioned, db.Model):
    """One version of the rules. At most one draft or proposed version per anti-manuel at a time."""

    __tablename__ = "coop_version"
    __table_args__ = (
        UniqueConstraint("charter_id", "number", name="uq_coop_version_number"),
        Index("uq_coop_version_one_open", "charter_id", unique=True,
              sqlite_where=text("status IN ('draft', 'proposed')"),
              postgresql_where=text("status IN ('draft', 'proposed')")),
    )

    charter_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("coop_charter.id", ondelete="CASCADE"),
                                                  nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="draft")
    author_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    charter: Mapped[Charter] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()
    rules: Mapped[list[Rule]] = relationship(back_populates="version", cascade="all, delete-orphan",
                                             order_by="Rule.position")
    agreements: Mapped[list[Agreement]] = relationship(back_populates="version", cascade="all, delete-orphan",
                                                       order_by="Agreement.agreed_at")


class Rule(UUIDKey, db.Model):
    """The rule of one situation type in one version."""

    __tablename__ = "coop_rule"
    __table_args__ = (UniqueConstraint("version_id", "situation_type_id", name="uq_coop_rule_type"),)

    version_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("coop_version.id", ondelete="CASCADE"),
                                                  nullable=False)
    situation_type_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("coop_situation_type.id"), nullable=False,
                                                         index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    modality: Mapped[str] = mapped_column(String(30), nullable=False, default="note")
    delegatee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    deadline_days: Mapped[int] = mapped_column(Integer, nullable=False, default=7)
    shortenable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    deciders: Mapped[str] = mapped_column(String(20), nullable=False, default="elu")
    channel: Mapped[str] = mapped_column(String(20), nullable=False, default="push")
    # Paris hours; None for both: no quiet hours of the pair (each person's own apply).
    quiet_start: Mapped[int | None] = mapped_column(SmallInteger)
    quiet_end: Mapped[int | None] = mapped_column(SmallInteger)
    urgent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    presence: Mapped[str] = mapped_column(String(20), nullable=False, default="none")
    argument: Mapped[str] = mapped_column(Text, nullable=False, default="")
    edited_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    version: Mapped[CharterVersion] = relationship(back_populates="rules")
    situation_type: Mapped[SituationType] = relationship()
    delegatee: Mapped[User | None] = relationship(foreign_keys=[delegatee_id])
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id])


class Agreement(db.Model):
    """One person's agreement to one version (an élu référent or the head of service). Once per person."""

    __tablename__ = "coop_agreement"

    version_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("coop_version.id", ondelete="CASCADE"),
                                                  primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    side: Mapped[str] = mapped_column(String(10), nullable=False)  # elu | head
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    version: Mapped[CharterVersion] = relationship(back_populates="agreements")
    user: Mapped[User] = relationship()


class Review(UUIDKey, db.Model):
    """The six-month review of one pair (the anti-manuel's service × one élu référent) over a period."""

    __tablename__ = "coop_review"
    __table_args__ = (UniqueConstraint("charter_id", "elu_id", "period_start", name="uq_coop_review_period"),)

    charter_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("coop_charter.id", ondelete="CASCADE"),
                                                  nullable=False, index=True)
    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    opened_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))

    charter: Mapped[Charter] = relationship()
    elu: Mapped[User] = relationship(foreign_keys=[elu_id])
    answers: Mapped[list[ReviewAnswer]] = relationship(back_populates="review", cascade="all, delete-orphan",
                                                       order_by="ReviewAnswer.side")


class ReviewAnswer(db.Model):
    """One side's answers to the three questions before the meeting (lose time, gain time, complicated)."""

    __tablename__ = "coop_review_answer"

    review_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("coop_review.id", ondelete="CASCADE"),
                                                 primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    side: Mapped[str] = mapped_column(String(10), nullable=False)  # elu | head
    lose_time: Mapped[str] = mapped_column(Text, nullable=False, default="")
    gain_time: Mapped[str] = mapped_column(Text, nullable=False, default="")
    complicated: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    review: Mapped[Review] = relationship(back_populates="answers")
    user: Mapped[User] = relationship()
