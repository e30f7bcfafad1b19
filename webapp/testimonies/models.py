"""Ma vie d'élu local (003:486-518): short video testimonies of the local actors who sit with élus in the
organisation's bodies, collected by the assemblies service, captioned, published on the public site and
as open data; the neighbouring Tandem sites whose testimonies are shown apart."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey, Versioned
from webapp.core.uploads import UploadedFile
from webapp.extensions import db

# draft: collected, being captioned; published: on the public site and in the open data; withdrawn:
# taken down (consent withdrawn, error), its files dropped by the worker after TESTIMONY_DROP_DAYS.
STATUSES = ("draft", "published", "withdrawn")
FILE_KINDS = ("video", "poster")


class Testimony(Versioned, Timestamps, db.Model):
    """One filmed interview about one body. Its id is the phone's UUID (it may be created offline)."""

    __tablename__ = "testimony"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # The body lives in webapp/organisation; read through its service.
    body_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organisation_body.id", ondelete="CASCADE"),
                                               nullable=False, index=True)
    speaker_name: Mapped[str] = mapped_column(String(160), nullable=False)
    speaker_role: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    speaker_organisation: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    recorded_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft", index=True)
    # The signed consent: the box ticked, the name typed by the speaker and the exact text agreed to.
    consent_given: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    consent_name: Mapped[str] = mapped_column(String(160), nullable=False, default="")
    consent_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transcript: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    files_dropped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()
    files: Mapped[list[TestimonyFile]] = relationship(back_populates="testimony", cascade="all, delete-orphan")
    cues: Mapped[list[Cue]] = relationship(back_populates="testimony", cascade="all, delete-orphan",
                                           order_by="Cue.start_ms")

    def file(self, kind: str) -> TestimonyFile | None:
        return next((f for f in self.files if f.kind == kind), None)

    @property
    def video(self) -> TestimonyFile | None:
        return self.file("video")

    @property
    def poster(self) -> TestimonyFile | None:
        return self.file("poster")


class TestimonyFile(UploadedFile, db.Model):
    """The video or the poster frame; bytes in instance/media/<id>, uploaded like excursion evidence."""

    __tablename__ = "testimony_file"
    __table_args__ = (UniqueConstraint("testimony_id", "kind", name="uq_testimony_file_kind"),)

    testimony_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("testimony.id", ondelete="CASCADE"),
                                                    nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # one of FILE_KINDS

    testimony: Mapped[Testimony] = relationship(back_populates="files")


class Cue(UUIDKey, db.Model):
    """One caption: a span of the video and its text (served as WebVTT)."""

    __tablename__ = "testimony_cue"

    testimony_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("testimony.id", ondelete="CASCADE"),
                                                    nullable=False, index=True)
    start_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    end_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)

    testimony: Mapped[Testimony] = relationship(back_populates="cues")


class BodyPage(UUIDKey, db.Model):
    """What a body does, in the public site's words (the rest comes from the organisation)."""

    __tablename__ = "testimony_body_page"

    body_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organisation_body.id", ondelete="CASCADE"),
                                               nullable=False, unique=True)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Neighbour(UUIDKey, db.Model):
    """A neighbouring Tandem site; the worker keeps a copy of its open data (``testimonies``)."""

    __tablename__ = "testimony_neighbour"

    base_url: Mapped[str] = mapped_column(String(300), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    added_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    testimonies: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
