"""Atlas de mandature (003:440-485): themes, budget lines and the M57 functional codes mapped to themes,
posters (one per theme and mandate) with their political and staff spaces, staff representatives,
and the PDF builds of the atlas."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, LargeBinary, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey, Versioned
from webapp.extensions import db
from webapp.organisation.models import Commission, Mandate, PoliticalGroup

POSTER_STATUSES = ("draft", "published")
BUILD_STATUSES = ("queued", "running", "done", "failed", "superseded")  # superseded: its PDF was dropped


class Theme(UUIDKey, db.Model):
    """A theme of public action (solidarités, mobilités…): one poster per theme and mandate."""

    __tablename__ = "atlas_theme"

    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(160), unique=True, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class FunctionalCode(db.Model):
    """An M57 functional code (a chapter, "4", or a finer function, "42") and the theme it belongs to.

    A budget line's code is matched by its longest mapped prefix, so mapping "4" covers "41", "423"…
    """

    __tablename__ = "atlas_functional_code"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    label: Mapped[str] = mapped_column(String(160), nullable=False, default="")
    theme_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("atlas_theme.id", ondelete="CASCADE"),
                                                nullable=False)

    theme: Mapped[Theme] = relationship()


class BudgetLine(UUIDKey, db.Model):
    """Money spent on one theme in one year of one mandate (executed budget, in euros)."""

    __tablename__ = "atlas_budget_line"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id"), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    theme_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("atlas_theme.id", ondelete="CASCADE"),
                                                nullable=False, index=True)
    functional_code: Mapped[str | None] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Numeric(15, 2), nullable=False)
    source: Mapped[str] = mapped_column(String(10), nullable=False, default="manual")  # csv | manual
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    mandate: Mapped[Mandate] = relationship()
    theme: Mapped[Theme] = relationship()


class Poster(UUIDKey, Timestamps, Versioned, db.Model):
    """One theme's poster for one (past) mandate; edited and published by the assemblies service."""

    __tablename__ = "atlas_poster"
    __table_args__ = (UniqueConstraint("theme_id", "mandate_id", name="uq_atlas_poster_theme_mandate"),)

    theme_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("atlas_theme.id", ondelete="CASCADE"),
                                                nullable=False)
    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id"), nullable=False)
    commission_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("commission.id", ondelete="SET NULL"))
    competences: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft", index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The staff representatives' space: written by them only (see StaffRepresentative).
    staff_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    staff_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    theme: Mapped[Theme] = relationship()
    mandate: Mapped[Mandate] = relationship()
    commission: Mapped[Commission | None] = relationship()
    comments: Mapped[list[PoliticalComment]] = relationship(back_populates="poster", cascade="all, delete-orphan")


class PoliticalComment(UUIDKey, Timestamps, db.Model):
    """A political group's comment on a poster: one per group, written by the group's élus."""

    __tablename__ = "atlas_political_comment"
    __table_args__ = (UniqueConstraint("poster_id", "group_id", name="uq_atlas_political_comment_poster_group"),)

    poster_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("atlas_poster.id", ondelete="CASCADE"),
                                                 nullable=False)
    group_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("political_group.id"), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    author_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))

    poster: Mapped[Poster] = relationship(back_populates="comments")
    group: Mapped[PoliticalGroup] = relationship()
    author: Mapped[User | None] = relationship()


class StaffRepresentative(db.Model):
    """A person designated by the assemblies service as staff representative (représentant du personnel).

    Staff representation is not in the services tree, so it is recorded here and managed by the
    assemblies service; only these people write the posters' staff space.
    """

    __tablename__ = "atlas_staff_representative"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    added_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class AtlasBuild(UUIDKey, db.Model):
    """One PDF build of a mandate's published atlas, run by the worker; the page polls its progress."""

    __tablename__ = "atlas_build"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="queued")
    done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    error: Mapped[str] = mapped_column(Text, nullable=False, default="")
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    size: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    mandate: Mapped[Mandate] = relationship()

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0
