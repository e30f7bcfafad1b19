"""The élu's inbox page: one statement per page, by keyset, whatever the number of notes in the box.

A page is the rows after a cursor (the last row's place in inbox order: rank, deadline, note id) read
from ``ix_note_addressee_inbox``, with everything a row shows joined in the same statement: title,
state, deadline, author, service and whether the reader opened it. No count: a page says whether
another follows (one row more is read), so deep pages cost what the first one costs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from webapp.accounts.models import OrgUnit, User
from webapp.extensions import db
from webapp.notes.models import IN_INBOX, OPEN, Delegation, Note, NoteAddressee, delegation_delegatee

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


@dataclass(slots=True)
class InboxRow:
    """What an inbox row shows (``status`` and ``deadline`` as on the note: ``urgency()`` reads them)."""

    id: uuid.UUID
    rank: int
    deadline: datetime | None
    title: str
    status: str
    deadline_argument: str | None
    author: str
    unit: str | None
    addressed: bool  # addressed to the reader (else delegated to them)
    unread: bool  # addressed and not opened yet

    @property
    def cursor(self) -> str:
        """This row's place, for the page that starts after it: ``rank.microseconds.id``."""
        when = "" if self.deadline is None else str((self.deadline - _EPOCH) // _MICRO)
        return f"{self.rank}.{when}.{self.id.hex}"


def parse_cursor(text: str | None) -> tuple[int, datetime, uuid.UUID] | None:
    """The place a page starts after, from ``?after=``; None for the first page (or a cursor made up)."""
    try:
        rank, when, key = (text or "").split(".")
        return int(rank), _EPOCH + int(when) * _MICRO, uuid.UUID(hex=key)
    except (ValueError, OverflowError):
        return None


def _sides(after: bool, limit: int, status: str | None, unit: bool, commission: bool, search: bool):
    """The notes addressed to the person and those delegated to them, each read in inbox order from
    the cursor on and cut at ``limit``. Values come as parameters: ``user``, ``rank``/``deadline``/``key``
    (the cursor), ``status``, ``unit``, ``commission``, ``like``."""
    na, note, chosen = NoteAddressee.__table__.c, Note.__table__.c, delegation_delegatee.c
    user = db.bindparam("user", type_=na.user_id.type)
    addressed = (db.select(na.note_id.label("note_id"), na.inbox_rank.label("rank"), na.deadline.label("deadline"),
                           na.acknowledged_at.label("seen"), db.literal(1).label("addressed"))
                 .where(na.user_id == user, na.inbox_rank.is_not(None))
                 .order_by(na.inbox_rank, na.deadline, na.note_id))
    if status == "open":
        addressed = addressed.where(na.inbox_rank == 0)
    rank = db.case((note.status.in_(OPEN), 0), else_=1)
    delegated = (db.select(note.id.label("note_id"), rank.label("rank"), note.deadline.label("deadline"),
                           db.cast(db.null(), na.acknowledged_at.type).label("seen"), db.literal(0).label("addressed"))
                 .join(Delegation.__table__, Delegation.__table__.c.note_id == note.id)
                 .join(delegation_delegatee, chosen.delegation_id == Delegation.__table__.c.id)
                 .where(chosen.user_id == user, note.status.in_(IN_INBOX),
                        ~db.select(na.note_id).where(na.note_id == note.id, na.user_id == user).exists())
                 .order_by(rank, note.deadline, note.id).distinct())
    if after:
        # A row value: both PostgreSQL and SQLite read the index range from that place on.
        place = db.tuple_(db.bindparam("rank", type_=na.inbox_rank.type),
                          db.bindparam("deadline", type_=na.deadline.type), db.bindparam("key", type_=na.note_id.type))
        addressed = addressed.where(db.tuple_(na.inbox_rank, na.deadline, na.note_id) > place)
        delegated = delegated.where(db.tuple_(rank, note.deadline, note.id) > place)
    if status or unit or commission or search:
        addressed = _filtered(addressed.join(Note.__table__, note.id == na.note_id), status, unit, commission, search)
        delegated = _filtered(delegated, status, unit, commission, search)
    return addressed.limit(limit), delegated.limit(limit)


def _filtered(stmt, status, unit: bool, commission: bool, search: bool):
    note = Note.__table__.c
    if status == "open":
        stmt = stmt.where(note.status.in_(OPEN))
    elif status:
        stmt = stmt.where(note.status == db.bindparam("status", type_=note.status.type))
    if unit:
        stmt = stmt.where(note.unit_id == db.bindparam("unit", type_=note.unit_id.type))
    if commission:
        stmt = stmt.where(note.commission_id == db.bindparam("commission", type_=note.commission_id.type))
    if search:
        like = db.bindparam("like", type_=note.title.type)
        stmt = stmt.where(db.or_(db.func.lower(note.title).like(like), db.func.lower(note.body).like(like)))
    return stmt


@cache
def _statement(after: bool, per_page: int, status: str | None, unit: bool, commission: bool, search: bool):
    """A page's statement, built once per process and shape (building costs more than running it)."""
    sides = _sides(after, per_page + 1, status, unit, commission, search)
    # Each side as its own subquery keeps its ORDER BY and LIMIT (SQLite refuses them in a bare UNION).
    keys = db.union_all(*(db.select(side.subquery()) for side in sides)).subquery()
    note, unit_table, author = Note.__table__, OrgUnit.__table__, User.__table__.alias("author")
    return (db.select(keys.c.note_id, keys.c.rank, keys.c.deadline, note.c.title, note.c.status,
                      note.c.deadline_argument, author.c.name, unit_table.c.name, keys.c.addressed, keys.c.seen)
            .select_from(keys).join(note, note.c.id == keys.c.note_id).join(author, author.c.id == note.c.author_id)
            .outerjoin(unit_table, unit_table.c.id == note.c.unit_id)
            .order_by(keys.c.rank, keys.c.deadline, keys.c.note_id).limit(per_page + 1))


def inbox_rows(user: User, *, after=None, per_page: int = 30, status: str | None = None, unit_id=None,
               commission_id=None, q: str | None = None) -> tuple[list[InboxRow], str | None]:
    """One page of the inbox after ``after`` (see ``parse_cursor``), and the cursor of the next page
    (None on the last one). Open notes first by deadline, then the answered ones."""
    shape = "open" if status == "open" else ("one" if status else None)
    stmt = _statement(after is not None, per_page, shape, bool(unit_id), bool(commission_id), bool(q))
    values = {"user": user.id, "status": status, "unit": unit_id, "commission": commission_id,
              "like": f"%{q.strip().lower()}%" if q else None}
    if after is not None:
        values.update(zip(("rank", "deadline", "key"), after, strict=True))
    rows = [InboxRow(key, rank, deadline, title, status_, argument, author, unit, bool(addressed),
                     bool(addressed) and seen is None)
            for key, rank, deadline, title, status_, argument, author, unit, addressed, seen
            in db.session.connection().execute(stmt, values)]
    more = len(rows) > per_page
    return rows[:per_page], (rows[per_page - 1].cursor if more else None)
