"""Bodies and posts of a mandate's organisation, who coordinates it, when it is published and what
changed after that.

The coordination (003:567-570, "le cercle restreint") is a role held from data: a ``Coordinator`` row
for the person in the mandate, granted by an administrator or the assemblies service.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import Column, Date, ForeignKey, Integer, Numeric, String, Table, Text, Time, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import OrgUnit, User
from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey
from webapp.extensions import db

BODY_KINDS = ("permanent_commission", "thematic_commission", "statutory_commission", "external_body")
POST_ROLES = ("president", "vice_president", "commission_president", "member", "titulaire", "suppleant",
              "representative")
FUNCTION_TYPES = ("representation", "concertation", "decision")
FUNCTION_KINDS = ("president", "vice_president", "conseiller_delegue", "commission_president")
CHANGE_ACTIONS = ("body_added", "body_changed", "body_removed", "post_added", "post_changed", "post_removed")


class PoliticalGroup(UUIDKey, db.Model):
    """A political group of the assembly."""

    __tablename__ = "political_group"

    name: Mapped[str] = mapped_column(String(160), unique=True, nullable=False)
    short_name: Mapped[str] = mapped_column(String(20), nullable=False)


class Mandate(UUIDKey, db.Model):
    """An electoral term of the assembly (e.g. 2021-2028)."""

    __tablename__ = "mandate"

    label: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Elu(UUIDKey, db.Model):
    """One person's seat in one mandate, with their political group."""

    __tablename__ = "elu"
    __table_args__ = (UniqueConstraint("user_id", "mandate_id", name="uq_elu_user_mandate"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id"), nullable=False)
    group_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("political_group.id"))

    user: Mapped[User] = relationship(back_populates="elu_terms")
    mandate: Mapped[Mandate] = relationship()
    group: Mapped[PoliticalGroup | None] = relationship()
    # The functions held now; ended ones (closed by a plenary's designation) stay as history.
    functions: Mapped[list[EluFunction]] = relationship(
        back_populates="elu", cascade="all, delete-orphan",
        primaryjoin="and_(Elu.id == EluFunction.elu_id, EluFunction.ended_on.is_(None))")


delegation_unit = Table(
    "delegation_unit",
    db.metadata,
    Column("function_id", Uuid, ForeignKey("elu_function.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", Uuid, ForeignKey("org_unit.id", ondelete="CASCADE"), primary_key=True),
)


class EluFunction(UUIDKey, db.Model):
    """A function held by an élu: président, vice-président (with a delegation), conseiller délégué,
    président de commission. The delegation's services say which notes concern the élu."""

    __tablename__ = "elu_function"

    elu_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("elu.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    rank: Mapped[int | None] = mapped_column()
    delegation: Mapped[str | None] = mapped_column(String(255))
    commission_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("commission.id"))
    # Set when a later designation replaces the function (None = held now).
    ended_on: Mapped[date | None] = mapped_column(Date)

    elu: Mapped[Elu] = relationship(back_populates="functions")
    commission: Mapped[Commission | None] = relationship()
    units: Mapped[list[OrgUnit]] = relationship(secondary=delegation_unit)


commission_member = Table(
    "commission_member",
    db.metadata,
    Column("commission_id", Uuid, ForeignKey("commission.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class Commission(UUIDKey, db.Model):
    """A thematic commission of the assembly for one mandate."""

    __tablename__ = "commission"
    __table_args__ = (UniqueConstraint("mandate_id", "name", name="uq_commission_mandate_name"),)

    name: Mapped[str] = mapped_column(String(160), nullable=False)
    theme: Mapped[str] = mapped_column(String(160), nullable=False)
    mandate_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("mandate.id"), nullable=False)

    mandate: Mapped[Mandate] = relationship()
    members: Mapped[list[User]] = relationship(secondary=commission_member, order_by="User.name")


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
