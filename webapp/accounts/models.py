"""People, the services tree they belong to, and their signed-in devices. Mandates, political groups,
élus, their functions and commissions are the organisation's (``webapp.organisation.models``); roles are
derived from both (see ``roles``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey
from webapp.extensions import db

if TYPE_CHECKING:
    from webapp.organisation.models import Elu

UNIT_KINDS = ("direction", "service", "cabinet", "assemblies")


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
    # A person's seats (``organisation.models.Elu``), mapped by name: the classes meet in one registry.
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


# User.elu_terms names ``Elu``: the organisation's models must be known wherever people are.
from webapp.organisation import models as _organisation  # noqa: E402, F401
