"""Astreinte à distance (003:625-693): rotas of people on call for a service, their absences, overrides and
swaps, the pages sent for urgent notes and the secret calendar links.

Who is on call is computed from the rota, the absences and the overrides (``rotation.who_is_on_call``),
never stored per shift. What can happen once is decided by the database: a swap is accepted by a
conditional UPDATE and its overrides carry a unique ``(swap_id, leg)``; each escalation step of a note is
one row under a unique ``(note_id, step)``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import OrgUnit, User
from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey, Versioned
from webapp.extensions import db

ROTATIONS = ("weekly", "daily")
SWAP_STATUSES = ("pending", "accepted", "declined", "cancelled")


class Rota(UUIDKey, Timestamps, Versioned, db.Model):
    """Who is on call for one service or direction, in turn, from a hand-over time."""

    __tablename__ = "oncall_rota"

    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("org_unit.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    rotation: Mapped[str] = mapped_column(String(10), nullable=False, default="weekly")
    # The first shift starts on ``starts_on`` at the hand-over time (Paris); weekly shifts then hand
    # over on that weekday, daily ones every day.
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    handover_minute: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=9 * 60)
    escalation_delay_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=15)
    escalation_steps: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=2)
    # Notes marked urgent for this rota's service go to the person on call even without a situation rule.
    urgent_notes: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    unit: Mapped[OrgUnit] = relationship()
    members: Mapped[list[RotaMember]] = relationship(back_populates="rota", cascade="all, delete-orphan",
                                                     order_by="RotaMember.position")

    @property
    def people(self) -> list[User]:
        return [m.user for m in self.members]


class RotaMember(db.Model):
    """One person of the rota, in the order of the turns."""

    __tablename__ = "oncall_member"

    rota_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("oncall_rota.id", ondelete="CASCADE"),
                                               primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True,
                                               index=True)
    position: Mapped[int] = mapped_column(SmallInteger, nullable=False)

    rota: Mapped[Rota] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Absence(UUIDKey, db.Model):
    """A person away (holidays) from one day to another, both included: their turns go to the next."""

    __tablename__ = "oncall_absence"
    __table_args__ = (Index("ix_oncall_absence_user_days", "user_id", "starts_on", "ends_on"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User] = relationship()


class Swap(UUIDKey, db.Model):
    """One member asks another to take their shift, and takes the other's shift in return when given."""

    __tablename__ = "oncall_swap"

    rota_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("oncall_rota.id", ondelete="CASCADE"),
                                               nullable=False, index=True)
    requester_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    target_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False,
                                                 index=True)
    shift_starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    shift_ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # The target's shift the requester takes in return (none: a plain replacement).
    return_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    rota: Mapped[Rota] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    target: Mapped[User] = relationship(foreign_keys=[target_id])


class Override(UUIDKey, db.Model):
    """Someone on call instead of the rota's turn for a while (set by the head of service, or an accepted
    swap: one row per leg, unique per swap and leg)."""

    __tablename__ = "oncall_override"
    __table_args__ = (UniqueConstraint("swap_id", "leg", name="uq_oncall_override_swap_leg"),
                      Index("ix_oncall_override_rota_span", "rota_id", "starts_at", "ends_at"))

    rota_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("oncall_rota.id", ondelete="CASCADE"),
                                               nullable=False)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    swap_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("oncall_swap.id", ondelete="CASCADE"))
    leg: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Page(UUIDKey, db.Model):
    """One person paged for an urgent note: step 0 is the person on call, then each escalation."""

    __tablename__ = "oncall_page"
    __table_args__ = (UniqueConstraint("note_id", "step", name="uq_oncall_page_note_step"),)

    note_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("note.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    rota_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("oncall_rota.id", ondelete="CASCADE"),
                                               nullable=False)
    step: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    paged_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # The escalation after this page was looked at (by whichever worker came first).
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    rota: Mapped[Rota] = relationship()
    user: Mapped[User] = relationship()


class FeedToken(db.Model):
    """A person's secret calendar link; revoking it makes a new one and the old URL stops working."""

    __tablename__ = "oncall_feed_token"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
