"""Bilan de commission (003:363-439): aperçus politiques and their templates, the two commission spaces,
bilan sessions with their ranking and selections, activity reports."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from webapp.accounts.models import OrgUnit, User
from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey, Versioned
from webapp.extensions import db
from webapp.organisation.models import Commission, Mandate, PoliticalGroup

APERCU_STATUSES = ("draft", "submitted")
# The standard fields of every aperçu (003:379-384); templates may relabel them, never remove them.
STANDARD_FIELDS = ("title", "problem", "target_public", "people", "chronology", "key_figures",
                   "expected_results", "obtained_results")
SPACES = ("elus", "agents")
COMMENT_KINDS = {"elus": ("comment", "opinion"), "agents": ("problem", "interference")}
SESSION_STATUSES = ("open", "adopted")
SELECTION_SIZE = 3


class ApercuTemplate(UUIDKey, Timestamps, db.Model):
    """The model of an aperçu: the assemblies' base model (no unit) or one service's or direction's own.

    ``labels`` relabels standard fields ({field: label}); ``extra_fields`` adds fields
    ([{"key", "label", "help"}]); ``guidance`` is the methodological advice shown on the form.
    """

    __tablename__ = "apercu_template"
    __table_args__ = (UniqueConstraint("unit_id", name="uq_apercu_template_unit_id"),)

    unit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("org_unit.id", ondelete="CASCADE"))
    guidance: Mapped[str] = mapped_column(Text, nullable=False, default="")
    labels: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    extra_fields: Mapped[list] = mapped_column(JSON, nullable=False, default=list)

    unit: Mapped[OrgUnit | None] = relationship()


class Apercu(UUIDKey, Timestamps, Versioned, db.Model):
    """A one-page sheet about one policy or scheme, filled by its service all along the mandate."""

    __tablename__ = "apercu"

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft", index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("org_unit.id"), nullable=False, index=True)
    commission_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("commission.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False)
    problem: Mapped[str] = mapped_column(Text, nullable=False, default="")
    target_public: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # [{"name", "role", "contact"}]: élus, agents, contractors, project holders.
    people: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # [{"when", "what"}], in the order given.
    chronology: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # [{"label", "value", "unit", "date"}]: a figure means nothing without its unit and date.
    key_figures: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    expected_results: Mapped[str] = mapped_column(Text, nullable=False, default="")
    obtained_results: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # The template's extra fields as filled: [{"key", "label", "value"}]; the label is kept so that a
    # later change of the template does not make old answers unreadable.
    extra: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[OrgUnit] = relationship()
    commission: Mapped[Commission | None] = relationship()
    author: Mapped[User] = relationship()
    comments: Mapped[list[ApercuComment]] = relationship(back_populates="apercu", cascade="all, delete-orphan",
                                                         order_by="ApercuComment.created_at")
    attachments: Mapped[list[ApercuAttachment]] = relationship(
        back_populates="apercu", cascade="all, delete-orphan", order_by="ApercuAttachment.added_at")


class ApercuComment(UUIDKey, Timestamps, db.Model):
    """One contribution in one space of a submitted aperçu: élus comment or give an opinion; the agents
    involved record major problems and interference with other policies."""

    __tablename__ = "apercu_comment"

    apercu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("apercu.id", ondelete="CASCADE"), nullable=False,
                                                 index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False)
    space: Mapped[str] = mapped_column(String(10), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    # An optional link to related material (a note, an excursion's mini-bilan): a local path and a title.
    link_url: Mapped[str | None] = mapped_column(String(300))
    link_title: Mapped[str | None] = mapped_column(String(200))

    apercu: Mapped[Apercu] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()


class ApercuAttachment(UUIDKey, db.Model):
    """A PDF joined to the dossier of an aperçu, such as the mini-bilan of a field visit (003:757-812)."""

    __tablename__ = "apercu_attachment"

    apercu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("apercu.id", ondelete="CASCADE"), nullable=False,
                                                 index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    added_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    apercu: Mapped[Apercu] = relationship(back_populates="attachments")
    added_by: Mapped[User] = relationship()


class BilanSession(UUIDKey, Timestamps, Versioned, db.Model):
    """The commission's end-of-mandate review: its ranking scale, rankings, selections; locked once adopted."""

    __tablename__ = "bilan_session"
    __table_args__ = (UniqueConstraint("commission_id", name="uq_bilan_session_commission_id"),)

    commission_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("commission.id", ondelete="CASCADE"),
                                                     nullable=False)
    # Levels of the commission's own scale, best first.
    scale: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open")
    adopted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    adopted_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id"))

    commission: Mapped[Commission] = relationship()
    adopted_by: Mapped[User | None] = relationship()
    rankings: Mapped[list[BilanRanking]] = relationship(back_populates="session", cascade="all, delete-orphan")
    selections: Mapped[list[BilanSelection]] = relationship(back_populates="session", cascade="all, delete-orphan")

    @property
    def adopted(self) -> bool:
        return self.status == "adopted"


class BilanRanking(db.Model):
    """Where one project stands on the commission's scale (an index into ``scale``)."""

    __tablename__ = "bilan_ranking"

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bilan_session.id", ondelete="CASCADE"),
                                                  primary_key=True)
    apercu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("apercu.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, nullable=False)

    session: Mapped[BilanSession] = relationship(back_populates="rankings")
    apercu: Mapped[Apercu] = relationship()


class BilanSelection(UUIDKey, Timestamps, db.Model):
    """The 3 proudest projects and 3 challenges: the commission's (no group) or one political group's."""

    __tablename__ = "bilan_selection"
    __table_args__ = (UniqueConstraint("session_id", "scope", name="uq_bilan_selection_session_scope"),)

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("bilan_session.id", ondelete="CASCADE"),
                                                  nullable=False)
    # "commission" or the group's id: a plain key, because NULL never collides in a unique constraint.
    scope: Mapped[str] = mapped_column(String(40), nullable=False)
    group_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("political_group.id"))
    proud: Mapped[list] = mapped_column(JSON, nullable=False, default=list)  # aperçu ids, as strings
    challenges: Mapped[list] = mapped_column(JSON, nullable=False, default=list)  # short texts
    author_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id"))

    session: Mapped[BilanSession] = relationship(back_populates="selections")
    group: Mapped[PoliticalGroup | None] = relationship()
    author: Mapped[User | None] = relationship()


class ActivityReport(UUIDKey, db.Model):
    """A service's activity report (PDF) handed to the assemblies service."""

    __tablename__ = "activity_report"

    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("org_unit.id"), nullable=False, index=True)
    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    uploaded_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    unit: Mapped[OrgUnit] = relationship()
    mandate: Mapped[Mandate] = relationship()
    uploaded_by: Mapped[User] = relationship()
