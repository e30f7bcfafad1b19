"""People and the organisation they belong to. Roles are derived from these data (see ``roles``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, Date, ForeignKey, String, Table, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey
from webapp.extensions import db

UNIT_KINDS = ("direction", "service", "cabinet", "assemblies")
FUNCTION_KINDS = ("president", "vice_president", "conseiller_delegue", "commission_president")


class OrgUnit(UUIDKey, db.Model):
    """A node of the services tree: a direction, a service, the cabinet or the assemblies service."""

    __tablename__ = "org_unit"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_org_unit_parent_name"),)

    name: Mapped[str] = mapped_column(String(160), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="service")
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("org_unit.id"))

    parent: Mapped[OrgUnit | None] = relationship(remote_side="OrgUnit.id", back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent", order_by="OrgUnit.name")

    @property
    def path(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent else self.name


class User(UUIDKey, Timestamps, UserMixin, db.Model):
    """A person who signs in: agent, manager, élu, cabinet member, assemblies staff or admin."""

    __tablename__ = "user"

    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(160), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), nullable=False, default="fr")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    job_title: Mapped[str | None] = mapped_column(String(160))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("org_unit.id"), index=True)
    manager_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id"), index=True)

    unit: Mapped[OrgUnit | None] = relationship()
    manager: Mapped[User | None] = relationship(remote_side="User.id", back_populates="reports")
    reports: Mapped[list[User]] = relationship(back_populates="manager")
    elu_terms: Mapped[list[Elu]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # The device this request is signed in from (set at sign-in and by the user loader; not a column).
    device_id = None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        # The session and the "Rester connecté" cookie name the device as well as the person: ending the
        # device's row (signing it out from the profile page) ends its cookies too.
        return f"{self.id}:{self.device_id}" if self.device_id else str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


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


class DeviceSession(UUIDKey, db.Model):
    """One signed-in device (phone, computer) of a person: listed on their profile, signed out from there.

    A device signed in with "Rester connecté" stays signed in while it is used at least once every
    ``REMEMBER_DAYS``; one signed in without it (a shared computer) ends with the browser, and on the
    server after ``SHARED_IDLE_HOURS`` without activity.
    """

    __tablename__ = "device_session"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    user_agent: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    remember: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
