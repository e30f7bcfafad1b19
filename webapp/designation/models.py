"""An élu's wishes for posts of the new organisation (issue 14 item 3): ranked, each justified, with an
answer to its alerts, and the hours a month the élu says they can give."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint, Uuid
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
    # Indemnities the élu declares receiving for other mandates (€ gross a month): with the simulated one,
    # checked against the legal cap of 1.5 × the basic parliamentary indemnity (CGCT L3123-18).
    other_indemnities: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False, default=Decimal(0),
                                                       server_default="0")


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


class CumulRule(UUIDKey, db.Model):
    """A cumul rule or incompatibility, as data with its source (issue 14 item 3): the legal ones are
    pre-filled (``rules.DEFAULTS``), the coordination adds local ones or sets one aside. Kinds:

    - ``declared``: a post of ``role`` is incompatible with a function the élu declared elsewhere (an
      interest whose role is one of ``interest_role`` and, if given, whose organisation contains one of
      ``interest_organisation``; alternatives separated by ``|``);
    - ``exclusive``: posts of ``role`` and of ``other_role`` are not held by one élu;
    - ``max``: at most ``limit`` posts of ``role`` (of bodies of ``body_kind`` if given) for one élu.
    An alert explains itself and can be answered; it never blocks.
    """

    __tablename__ = "designation_cumul_rule"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"),
                                                  nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    role: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    other_role: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    body_kind: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    limit: Mapped[int | None] = mapped_column(Integer)
    interest_role: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    interest_organisation: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    label: Mapped[str] = mapped_column(Text, nullable=False)
    source: Mapped[str] = mapped_column(String(300), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ScaleVersion(UUIDKey, db.Model):
    """The indemnity scale and the representation caps in force for a mandate, as the assemblies service
    or the coordination records them (issue 14 item 4). Each change is a new row: the newest is in force,
    the others are its history. Without a row, ``simulation.SCALE_2024`` and the default caps apply."""

    __tablename__ = "designation_scale_version"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"),
                                                  nullable=False, index=True)
    reference: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    conseiller_rate: Mapped[Decimal] = mapped_column(Numeric(6, 4), nullable=False)
    permanent_commission_bonus: Mapped[Decimal] = mapped_column(Numeric(6, 4), nullable=False)
    vice_president_bonus: Mapped[Decimal] = mapped_column(Numeric(6, 4), nullable=False)
    president_rate: Mapped[Decimal] = mapped_column(Numeric(6, 4), nullable=False)
    # The basic parliamentary indemnity (€ gross a month), entered by the service; None: not entered.
    parliamentary_base: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    caps: Mapped[dict] = mapped_column(JSON, nullable=False)  # level -> most representation posts
    source: Mapped[str] = mapped_column(String(300), nullable=False)
    in_force_since: Mapped[date] = mapped_column(Date, nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))


class Remark(UUIDKey, db.Model):
    """A question or an objection an élu leaves on the published proposal, for the coordination and the
    assemblies service to read before the plenary (issue 14 item 6); about one post, or the whole."""

    __tablename__ = "designation_remark"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"),
                                                  nullable=False, index=True)
    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("elu.id", ondelete="CASCADE"), nullable=False,
                                              index=True)
    post_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("organisation_post.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # "question" or "objection"
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    elu: Mapped[Elu] = relationship()
    post: Mapped[Post | None] = relationship()
