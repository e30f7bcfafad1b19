"""Bodies and posts of a mandate's organisation, who coordinates it, when it is published and what
changed after that.

The coordination (003:567-570, "le cercle restreint") is a role held from data: a ``Coordinator`` row
for the person in the mandate, granted by an administrator or the assemblies service.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from sqlalchemy import Column, ForeignKey, Integer, Numeric, String, Table, Text, Time, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import Mandate, OrgUnit, User
from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey
from webapp.extensions import db

BODY_KINDS = ("permanent_commission", "thematic_commission", "statutory_commission", "external_body")
POST_ROLES = ("president", "vice_president", "commission_president", "member", "titulaire", "suppleant",
              "representative")
FUNCTION_TYPES = ("representation", "concertation", "decision")
CHANGE_ACTIONS = ("body_added", "body_changed", "body_removed", "post_added", "post_changed", "post_removed")


class Coordinator(UUIDKey, db.Model):
    """A person of the coordination for one mandate's organisation."""

    __tablename__ = "organisation_coordinator"
    __table_args__ = (UniqueConstraint("user_id", "mandate_id", name="uq_organisation_coordinator"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"),
                                                  nullable=False)
    granted_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Publication(UUIDKey, db.Model):
    """When a mandate's organisation becomes visible to every élu (one row per mandate)."""

    __tablename__ = "organisation_publication"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"), unique=True,
                                                  nullable=False)
    publish_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Body(UUIDKey, Timestamps, db.Model):
    """A commission or an external body the authority sits in."""

    __tablename__ = "organisation_body"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"),
                                                  nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    theme: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # Declared interests in these categories (forum.models.INTEREST_CATEGORIES, comma separated) raise a
    # conflict alert on the body's posts, as does an interest held in the same organisation (by name).
    conflict_categories: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    mandate: Mapped[Mandate] = relationship()
    posts: Mapped[list[Post]] = relationship(back_populates="body", cascade="all, delete-orphan",
                                             order_by="Post.created_at")


# The services a vice-president's post delegates (they route notes to whoever holds it once adopted).
post_unit = Table(
    "organisation_post_unit",
    db.metadata,
    Column("post_id", Uuid, ForeignKey("organisation_post.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", Uuid, ForeignKey("org_unit.id", ondelete="CASCADE"), primary_key=True),
)


class Post(UUIDKey, Timestamps, db.Model):
    """Seats of one kind in a body, with the time they take and when they meet.

    The meeting rhythm is structured: a weekday, optionally the nth such weekday of the month (None =
    every week), and hours. "2e mardi 14:00-17:00" is weekday=1, nth_week=2, 14:00, 17:00.
    """

    __tablename__ = "organisation_post"

    body_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organisation_body.id", ondelete="CASCADE"),
                                               nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(30), nullable=False)
    seats: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    function_type: Mapped[str] = mapped_column(String(20), nullable=False)
    hours_per_month: Mapped[float] = mapped_column(Numeric(5, 1, asdecimal=False), nullable=False, default=0)
    weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday, as date.weekday()
    nth_week: Mapped[int | None] = mapped_column(Integer)  # 1..5; None = every week
    starts_at: Mapped[time | None] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    conditions: Mapped[str] = mapped_column(Text, nullable=False, default="")

    body: Mapped[Body] = relationship(back_populates="posts")
    units: Mapped[list[OrgUnit]] = relationship(secondary=post_unit)


class Change(UUIDKey, db.Model):
    """A change made to the organisation after its publication, as the élus are shown it."""

    __tablename__ = "organisation_change"

    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id", ondelete="CASCADE"),
                                                  nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30), nullable=False)  # one of CHANGE_ACTIONS
    subject: Mapped[str] = mapped_column(String(400), nullable=False)  # the body or post, as named then
