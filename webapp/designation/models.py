"""An élu's wishes for posts of the new organisation (issue 14 item 3): ranked, each justified, with an
answer to its alerts, and the hours a month the élu says they can give."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey
from webapp.extensions import db
from webapp.organisation.models import Elu, Post


class Wish(UUIDKey, Timestamps, db.Model):
    __tablename__ = "designation_wish"
    __table_args__ = (UniqueConstraint("elu_id", "post_id", name="uq_designation_wish"),)

    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("elu.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    post_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organisation_post.id", ondelete="CASCADE"),
                                               nullable=False, index=True)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)  # 1 = most wanted
    justification: Mapped[str] = mapped_column(Text, nullable=False)
    # The élu's answer to the wish's alerts: an alert informs, it never blocks.
    alert_answer: Mapped[str] = mapped_column(Text, nullable=False, default="")

    elu: Mapped[Elu] = relationship()
    post: Mapped[Post] = relationship()


class Availability(UUIDKey, db.Model):
    """The hours a month the élu says they can give to their posts (the gauge's limit)."""

    __tablename__ = "designation_availability"

    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("elu.id", ondelete="CASCADE"), unique=True,
                                              nullable=False)
    hours_per_month: Mapped[int] = mapped_column(Integer, nullable=False)


class Assignment(UUIDKey, Timestamps, db.Model):
    """A post given to an élu by the coordination: proposed by the solver or set by hand."""

    __tablename__ = "designation_assignment"
    __table_args__ = (UniqueConstraint("elu_id", "post_id", name="uq_designation_assignment"),)

    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("elu.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    post_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organisation_post.id", ondelete="CASCADE"),
                                               nullable=False, index=True)
    source: Mapped[str] = mapped_column(String(10), nullable=False)  # "solver" or "hand"

    elu: Mapped[Elu] = relationship()
    post: Mapped[Post] = relationship()


class Proposal(UUIDKey, db.Model):
    """The final proposal of a mandate, published to every élu (one row per mandate)."""

    __tablename__ = "designation_proposal"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"), unique=True,
                                                  nullable=False)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    published_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    # Whether the groups' proportional share bound the proposal (the élus' "why not me" depends on it).
    proportional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=db.false())


class PlenaryVote(UUIDKey, db.Model):
    """The plenary's vote on the proposal, as the assemblies service records it.

    ``single_list``: one list only, the designation takes effect at once (no vote counted).
    ``by_group``: optional free text "Majorité : 30 pour ; Opposition : 12 contre".
    """

    __tablename__ = "designation_plenary_vote"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"),
                                                  nullable=False, index=True)
    mode: Mapped[str] = mapped_column(String(12), nullable=False)  # "vote" or "single_list"
    votes_for: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    votes_against: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    abstentions: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    by_group: Mapped[str] = mapped_column(Text, nullable=False, default="")
    adopted: Mapped[bool] = mapped_column(Boolean, nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))


class InstallationWeek(UUIDKey, db.Model):
    """The installation week's calendar (issue 14 item 1): computed from the election date, then editable.
    Times are stored in UTC; the wishes lock themselves at ``wishes_close_at`` (checked on each change)."""

    __tablename__ = "designation_installation_week"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"), unique=True,
                                                  nullable=False)
    election_on: Mapped[date] = mapped_column(Date, nullable=False)
    forum_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    organisation_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    wishes_close_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    proposal_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    plenary_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class WeekStepRun(UUIDKey, db.Model):
    """A step of the installation week the worker has carried out, for one time of that step: the row is
    inserted before acting, so a second worker (or a second run) cannot act twice; a moved step acts
    again at its new time. ``outcome`` is what the calendar shows ("published", "proposed"…)."""

    __tablename__ = "designation_week_step_run"
    __table_args__ = (UniqueConstraint("mandate_id", "step", "due_at", name="uq_designation_week_step_run"),)

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"),
                                                  nullable=False, index=True)
    step: Mapped[str] = mapped_column(String(30), nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    notified: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
