"""Notes en stock (003:700-756): a note, its argued deadline, its addressees, answers, delegations,
renegotiations and the reminders already sent."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import OrgUnit, User
from webapp.core.clock import utcnow
from webapp.core.types import Timestamps, UTCDateTime, UUIDKey, Versioned
from webapp.extensions import db
from webapp.organisation.models import Commission

# draft/returned: the author edits; submitted: the manager agrees the deadline; sent: in the élu's inbox;
# question: waiting for the author's reply (clock paused); delegated: waiting for the delegatee's decision;
# answered: an opinion was given (a decision may still follow); decided: closed by a decision.
STATUSES = ("draft", "submitted", "returned", "sent", "question", "delegated", "answered", "decided")
EDITABLE = ("draft", "returned")
IN_INBOX = ("sent", "question", "delegated", "answered", "decided")
OPEN = ("sent", "question", "delegated")
AWAITING_ELU = ("sent",)
ANSWER_KINDS = ("decision", "opinion", "annotation", "question", "reply")
VERDICTS = ("approve", "reject", "option")

note_concerned = Table(
    "note_concerned",
    db.metadata,
    Column("note_id", Uuid, ForeignKey("note.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_note_concerned_user", "user_id", "note_id"),  # the notes a person is concerned by
)

delegation_delegatee = Table(
    "note_delegation_delegatee",
    db.metadata,
    Column("delegation_id", Uuid, ForeignKey("note_delegation.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_note_delegation_delegatee_user", "user_id", "delegation_id"),  # decisions delegated to a person
)


class Note(UUIDKey, Timestamps, Versioned, db.Model):
    """A note from an agent to one or more élus, with the response deadline agreed with the manager."""

    __tablename__ = "note"
    # An agent's own notes, newest first (service.my_notes_query): one index range per side.
    __table_args__ = (Index("ix_note_author_updated", "author_id", "updated_at", "id"),
                      Index("ix_note_manager_updated", "manager_id", "updated_at", "id"))

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft", index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False, index=True)
    # Snapshot of the author's service when drafted: figures per service must not move when people do.
    unit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("org_unit.id"), index=True)
    commission_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("commission.id"), index=True)
    # The anti-manuel's situation type (cooperation): its rule suggests the deadline and names the modality.
    situation_type_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("coop_situation_type.id", ondelete="SET NULL"), index=True)
    # Who agrees the deadline: the author's manager at submission (the author when they have none).
    manager_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id"), index=True)

    proposed_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposed_argument: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    deadline_argument: Mapped[str] = mapped_column(Text, nullable=False, default="")
    agreement_comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    agreed_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id"))
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    self_agreed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    return_comment: Mapped[str] = mapped_column(Text, nullable=False, default="")

    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])
    agreed_by: Mapped[User | None] = relationship(foreign_keys=[agreed_by_id])
    unit: Mapped[OrgUnit | None] = relationship()
    commission: Mapped[Commission | None] = relationship()
    options: Mapped[list[NoteOption]] = relationship(back_populates="note", cascade="all, delete-orphan",
                                                     order_by="NoteOption.position")
    addressees: Mapped[list[NoteAddressee]] = relationship(back_populates="note", cascade="all, delete-orphan")
    concerned: Mapped[list[User]] = relationship(secondary=note_concerned, order_by="User.name")
    answers: Mapped[list[Answer]] = relationship(back_populates="note", cascade="all, delete-orphan",
                                                 order_by="Answer.created_at")
    delegations: Mapped[list[Delegation]] = relationship(back_populates="note", cascade="all, delete-orphan",
                                                         order_by="Delegation.created_at")
    renegotiations: Mapped[list[Renegotiation]] = relationship(
        back_populates="note", cascade="all, delete-orphan", order_by="Renegotiation.created_at")
    attachments: Mapped[list[NoteAttachment]] = relationship(cascade="all, delete-orphan",
                                                             order_by="NoteAttachment.created_at")

    @property
    def addressee_users(self) -> list[User]:
        return [a.user for a in self.addressees]

    @property
    def delegatees(self) -> list[User]:
        return [u for d in self.delegations for u in d.delegatees]

    @property
    def decision(self) -> Answer | None:
        return next((a for a in reversed(self.answers) if a.kind == "decision"), None)

    @property
    def pending_renegotiation(self) -> Renegotiation | None:
        return next((r for r in self.renegotiations if r.status == "pending"), None)


class NoteOption(UUIDKey, db.Model):
    """One option the élu may choose between (A, B, C…)."""

    __tablename__ = "note_option"
    __table_args__ = (UniqueConstraint("note_id", "label", name="uq_note_option_note_label"),)

    note_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("note.id", ondelete="CASCADE"), nullable=False)
    label: Mapped[str] = mapped_column(String(2), nullable=False)
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    note: Mapped[Note] = relationship(back_populates="options")


def inbox_rank(status: str) -> int | None:
    """Where a note sits in its addressees' inbox: 0 waiting for an answer, 1 answered, None not there."""
    if status in OPEN:
        return 0
    return 1 if status in IN_INBOX else None


class NoteAddressee(db.Model):
    """An élu the note is sent to, and when they first opened it (the accusé de réception).

    ``inbox_rank`` and ``deadline`` copy the note's place in the inbox, so that an élu's inbox is one
    range of ``ix_note_addressee_inbox`` read in order, whatever the number of notes in the authority
    or in the box. They follow the note through the ORM events below: change a note's status or
    deadline through the ORM (not a Core ``UPDATE note``), or update these copies in the same statement.
    """

    __tablename__ = "note_addressee"
    __table_args__ = (Index("ix_note_addressee_inbox", "user_id", "inbox_rank", "deadline", "note_id"),)

    note_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("note.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    inbox_rank: Mapped[int | None] = mapped_column(SmallInteger)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)

    note: Mapped[Note] = relationship(back_populates="addressees")
    user: Mapped[User] = relationship()


class Answer(UUIDKey, db.Model):
    """What an élu (or a delegatee) returns: a decision, an opinion, an annotation, a question back;
    or the author's reply to a question. Append-only."""

    __tablename__ = "note_answer"
    # One decision per note, whatever the race (the note's version decides first; this is the backstop).
    __table_args__ = (Index("uq_note_answer_one_decision", "note_id", unique=True,
                            sqlite_where=text("kind = 'decision'"), postgresql_where=text("kind = 'decision'")),)

    note_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("note.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    verdict: Mapped[str | None] = mapped_column(String(10))
    option_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("note_option.id"))
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    quote: Mapped[str | None] = mapped_column(Text)
    offset: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    note: Mapped[Note] = relationship(back_populates="answers")
    author: Mapped[User] = relationship()
    option: Mapped[NoteOption | None] = relationship()


class Delegation(UUIDKey, db.Model):
    """The élu hands the decision to named agents or another élu, with instructions."""

    __tablename__ = "note_delegation"

    note_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("note.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False)
    instructions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    note: Mapped[Note] = relationship(back_populates="delegations")
    by: Mapped[User] = relationship()
    delegatees: Mapped[list[User]] = relationship(secondary=delegation_delegatee, order_by="User.name")


class Renegotiation(UUIDKey, db.Model):
    """An élu's argued request for more time, accepted or refused by the author or the manager."""

    __tablename__ = "note_renegotiation"
    # At most one request for more time waits at once.
    __table_args__ = (Index("uq_note_renegotiation_one_pending", "note_id", unique=True,
                            sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),)

    note_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("note.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    requested_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False)
    previous_deadline: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    requested_deadline: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    argument: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    settled_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("user.id"))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    note: Mapped[Note] = relationship(back_populates="renegotiations")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    settled_by: Mapped[User | None] = relationship(foreign_keys=[settled_by_id])


class NoteReminder(UUIDKey, db.Model):
    """A reminder step already sent for one deadline value: the scan never sends the same step twice,
    and a moved deadline (renegotiation, question back) gets its own reminders."""

    __tablename__ = "note_reminder"
    __table_args__ = (UniqueConstraint("note_id", "step", "deadline", name="uq_note_reminder_step"),)

    note_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("note.id", ondelete="CASCADE"), nullable=False)
    step: Mapped[str] = mapped_column(String(10), nullable=False)  # before | due | overdue
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class NoteAttachment(UUIDKey, db.Model):
    """A PDF or an image joined to a note. Stored in the database: small (size-limited) and backed up
    with everything else, on SQLite and PostgreSQL alike."""

    __tablename__ = "note_attachment"

    note_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("note.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    content_type: Mapped[str] = mapped_column(String(60), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, deferred=True)
    uploaded_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("user.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


@event.listens_for(NoteAddressee, "before_insert")
def _addressee_in_place(_mapper, _connection, target: NoteAddressee) -> None:
    note = target.note
    if note is not None:
        target.inbox_rank, target.deadline = inbox_rank(note.status), note.deadline


@event.listens_for(Note, "after_update")
def _addressees_follow(_mapper, connection, target: Note) -> None:
    state = inspect(target)
    if state.attrs.status.history.has_changes() or state.attrs.deadline.history.has_changes():
        connection.execute(NoteAddressee.__table__.update().where(NoteAddressee.note_id == target.id)
                           .values(inbox_rank=inbox_rank(target.status), deadline=target.deadline))
