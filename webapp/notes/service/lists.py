"""Reading: urgency, the élu's inbox, an agent's notes, what waits for whom, a note's timeline."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy.orm import defer, joinedload

from webapp.accounts.models import OrgUnit, User
from webapp.core import facts
from webapp.core.clock import to_paris, utcnow
from webapp.core.pagination import KeyedList, Page, paginate_keys
from webapp.extensions import db
from webapp.notes.models import EDITABLE, IN_INBOX, OPEN, Delegation, Note, NoteAddressee, note_concerned
from webapp.organisation.models import Commission

SOON = timedelta(days=3)
LOOK_AHEAD = 100  # notes a bounded count looks past the current page: five pages of an agent's notes
# The person and the bound of the lists built once per process (``_whole_inbox``, ``_all_my_notes``).
_USER = db.bindparam("user", type_=User.id.type)
_WITHIN = db.bindparam("within", type_=db.Integer)


def urgency(note: Note, now: datetime | None = None) -> str:
    """overdue | today | soon | later for notes waiting for an answer; paused; done."""
    now = now or utcnow()
    if note.status in ("answered", "decided"):
        return "done"
    if note.status == "question":
        return "paused"
    if note.deadline is None:
        return "later"
    if note.deadline < now:
        return "overdue"
    if to_paris(note.deadline).date() == to_paris(now).date():
        return "today"
    if note.deadline - now <= SOON:
        return "soon"
    return "later"


def _row_options():
    # What a list row shows (author, service), joined in the same statement: no N+1 whatever the page size.
    # The body is not shown in lists: leave it in the database.
    return (joinedload(Note.author), joinedload(Note.unit), defer(Note.body), defer(Note.proposed_argument),
            defer(Note.agreement_comment), defer(Note.return_comment))


def inbox_query(user: User, *, within: int | None = None, **filters):
    """The élu's inbox (see ``_inbox_ids``), notes with what their row shows."""
    mine = _inbox_ids(user.id, within=within, **filters)
    return _inbox_notes(mine).order_by(*_inbox_order(mine))


def _inbox_order(keys):
    return keys.c.rank, keys.c.deadline, keys.c.note_id


def _inbox_notes(keys):
    return db.select(Note).join(keys, Note.id == keys.c.note_id).options(*_row_options())


def _inbox_ids(user_id, *, status: str | None = None, unit_id=None, commission_id=None, q: str | None = None,
               within: int | None = None):
    """The élu's inbox (and a delegatee's): open notes first by deadline, then the answered ones.

    Two sides, each read in inbox order and cut at ``within`` rows (the rows up to the end of the page
    asked for, plus what a bounded count looks ahead): the notes addressed to the person, one range of
    ``ix_note_addressee_inbox`` (the note's rank and deadline are copied there), and the few decisions
    delegated to them. Then only the notes of the page are read: the cost follows the page, not the
    number of notes in the box or in the authority.
    """
    from webapp.notes.models import delegation_delegatee

    rank = db.case((Note.status.in_(OPEN), 0), else_=1)
    addressed = (db.select(NoteAddressee.note_id.label("note_id"), NoteAddressee.inbox_rank.label("rank"),
                           NoteAddressee.deadline.label("deadline"))
                 .where(NoteAddressee.user_id == user_id, NoteAddressee.inbox_rank.is_not(None))
                 .order_by(NoteAddressee.inbox_rank, NoteAddressee.deadline, NoteAddressee.note_id))
    if status == "open":
        addressed = addressed.where(NoteAddressee.inbox_rank == 0)
    delegated = (db.select(Note.id.label("note_id"), rank.label("rank"), Note.deadline.label("deadline"))
                 .join(Delegation, Delegation.note_id == Note.id)
                 .join(delegation_delegatee, delegation_delegatee.c.delegation_id == Delegation.id)
                 .where(delegation_delegatee.c.user_id == user_id, Note.status.in_(IN_INBOX),
                        ~db.select(NoteAddressee.note_id).where(NoteAddressee.note_id == Note.id,
                                                                NoteAddressee.user_id == user_id).exists())
                 .order_by(rank, Note.deadline, Note.id).distinct())
    if status or unit_id or commission_id or q:
        addressed = _filters(addressed.join(Note, Note.id == NoteAddressee.note_id), status, unit_id,
                             commission_id, q)
        delegated = _filters(delegated, status, unit_id, commission_id, q)
    if within is not None:
        addressed, delegated = addressed.limit(within), delegated.limit(within)
    # Each side as its own subquery keeps its ORDER BY and LIMIT (SQLite refuses them in a bare UNION).
    return db.union_all(*(db.select(side.subquery()) for side in (addressed, delegated))).subquery()


FILTER_CHOICES = {"units": "notes.filter_units", "commissions": "notes.filter_commissions"}


def inbox_filter_choices(user: User) -> dict[str, list[Choice]]:
    """The services and commissions the inbox filters by (``id``, ``name``), sorted for reading: facts read
    with the page's others (``facts.ask`` them first), not a statement of their own."""
    return {key: _choices(facts.of(user, name)) for key, name in FILTER_CHOICES.items()}


class Choice(NamedTuple):
    id: uuid.UUID
    name: str


_ID, _ROW = "\x1f", "\x1e"  # separators no name typed in a form holds


def _choices(text: str | None) -> list[Choice]:
    choices = []
    for row in (text or "").split(_ROW):
        key, _sep, name = row.partition(_ID)
        try:
            choices.append(Choice(uuid.UUID(key), name))
        except ValueError:
            continue  # a name holding a separator: its tail is no choice
    return sorted(choices, key=lambda c: (unicodedata.normalize("NFKD", c.name).casefold(), c.name))


def register_facts() -> None:
    """The filter choices as facts asked by the inbox page only: each list in one aggregated string."""
    def listed(entity, *where):
        row = db.cast(entity.id, db.String) + _ID + entity.name
        return db.select(db.func.aggregate_strings(row, _ROW)).where(*where).scalar_subquery()

    facts.register(FILTER_CHOICES["units"], lambda user, now, day: listed(OrgUnit, OrgUnit.kind == "service"),
                   on_demand=True)
    facts.register(FILTER_CHOICES["commissions"], lambda user, now, day: listed(Commission), on_demand=True)


def inbox_page(user: User, page: int, per_page: int, **filters) -> Page:
    """One page of the inbox with a bounded count (up to ``LOOK_AHEAD`` notes past the page)."""
    within = page * per_page + LOOK_AHEAD
    if not any(filters.values()):  # the page as an élu opens it: statements built once
        return _whole_inbox().page({"user": user.id, "within": within}, page, per_page, bound=within)
    return paginate_keys(_inbox_ids(user.id, within=within, **filters), _inbox_order, _inbox_notes, page,
                         per_page, bound=within)


@cache
def _whole_inbox() -> KeyedList:
    return KeyedList(_inbox_ids(_USER, within=_WITHIN), _inbox_order, _inbox_notes)



def _filters(stmt, status, unit_id, commission_id, q):
    if status == "open":
        stmt = stmt.where(Note.status.in_(OPEN))
    elif status:
        stmt = stmt.where(Note.status == status)
    if unit_id:
        stmt = stmt.where(Note.unit_id == unit_id)
    if commission_id:
        stmt = stmt.where(Note.commission_id == commission_id)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(db.or_(db.func.lower(Note.title).like(like), db.func.lower(Note.body).like(like)))
    return stmt


def my_notes_query(user: User, *, within: int | None = None, **filters):
    """An agent's notes (see ``_my_note_ids``), with what their row shows."""
    mine = _my_note_ids(user.id, within=within, **filters)
    return _my_notes(mine).order_by(*_my_order(mine))


def _my_order(keys):
    return keys.c.updated_at.desc(), keys.c.id.desc()


def _my_notes(keys):
    return db.select(Note).join(keys, Note.id == keys.c.id).options(*_row_options())


def _my_note_rows(keys):
    """What a row of the agent's notes page shows, as columns: no record is built for a list to read."""
    author, unit = db.aliased(User), db.aliased(OrgUnit)
    return (db.select(Note.id, Note.title, Note.status, Note.deadline, Note.deadline_argument,
                      author.name.label("author"), unit.name.label("unit"))
            .join(keys, Note.id == keys.c.id).join(author, author.id == Note.author_id)
            .outerjoin(unit, unit.id == Note.unit_id))


def _my_note_ids(user_id, *, status: str | None = None, q: str | None = None, within: int | None = None):
    """Notes an agent wrote, must agree, or is concerned by, the latest changed first.

    Three sides, each read newest first and cut at ``within`` rows: written (``ix_note_author_updated``),
    to agree (``ix_note_manager_updated``), concerned by; then only the notes of the page are read.
    """
    order = (Note.updated_at.desc(), Note.id.desc())
    concerned = db.select(note_concerned.c.note_id).where(note_concerned.c.user_id == user_id)
    sides = [
        db.select(Note.id, Note.updated_at).where(Note.author_id == user_id),
        db.select(Note.id, Note.updated_at).where(Note.manager_id == user_id, Note.status.not_in(EDITABLE)),
        db.select(Note.id, Note.updated_at).where(Note.id.in_(concerned), Note.status.in_(IN_INBOX)),
    ]
    sides = [_filters(side, status, None, None, q).order_by(*order) for side in sides]
    if within is not None:
        sides = [side.limit(within) for side in sides]
    return db.union(*(db.select(side.subquery()) for side in sides)).subquery()  # a note on two sides once


def my_notes_page(user: User, page: int, per_page: int, *, rows: bool = False, **filters) -> Page:
    """One page of an agent's notes with a bounded count (as ``inbox_page``): notes, or with ``rows`` what
    the page's rows show (``id``, ``title``, ``status``, ``deadline``, ``deadline_argument``, ``author``,
    ``unit``)."""
    within = page * per_page + LOOK_AHEAD
    if not any(filters.values()):  # the page as an agent opens it: statements built once
        return _all_my_notes(rows).page({"user": user.id, "within": within}, page, per_page, bound=within)
    return paginate_keys(_my_note_ids(user.id, within=within, **filters), _my_order,
                         _my_note_rows if rows else _my_notes, page, per_page, bound=within, rows=rows)


@cache
def _all_my_notes(rows: bool) -> KeyedList:
    return KeyedList(_my_note_ids(_USER, within=_WITHIN), _my_order, _my_note_rows if rows else _my_notes, rows=rows)


HOME_ROWS = 10  # a home section shows this many notes, its "more" link the rest: lists grow with time


# The home's sections read rows (``id``, ``title``, ``status``, ``deadline``, and ``author`` for the notes to
# agree): a list of ten to show, not records to change. Their statements are built once per process.
_LIMIT = db.bindparam("limit", type_=db.Integer)
_HOME_ROW = (Note.id, Note.title, Note.status, Note.deadline)


def notes_to_agree(user: User, limit: int = HOME_ROWS) -> list:
    """The notes waiting for this manager's agreement, the longest waiting first."""
    return db.session.execute(_to_agree(), {"user": user.id, "limit": limit}).all()


@cache
def _to_agree():
    return (db.select(*_HOME_ROW, User.name.label("author")).join(User, User.id == Note.author_id)
            .where(Note.manager_id == _USER, Note.status == "submitted").order_by(Note.submitted_at).limit(_LIMIT))


def author_todo(user: User, limit: int = HOME_ROWS) -> list:
    """An agent's notes to take up again: an élu's questions first, then returned notes, then drafts."""
    return db.session.execute(_author_todo(), {"user": user.id, "limit": limit}).all()


@cache
def _author_todo():
    first = db.case((Note.status == "question", 0), (Note.status == "returned", 1), else_=2)
    return (db.select(*_HOME_ROW).where(Note.author_id == _USER, Note.status.in_(("draft", "returned", "question")))
            .order_by(first, Note.updated_at).limit(_LIMIT))


def delegated_to(user: User, limit: int = HOME_ROWS) -> list:
    """Decisions delegated to this person that still wait for them, the soonest due first."""
    return db.session.execute(_delegated_to(), {"user": user.id, "limit": limit}).all()


@cache
def _delegated_to():
    from webapp.notes.models import delegation_delegatee

    mine = (db.select(Delegation.note_id).join(delegation_delegatee,
                                               delegation_delegatee.c.delegation_id == Delegation.id)
            .where(delegation_delegatee.c.user_id == _USER))
    return (db.select(*_HOME_ROW).where(Note.id.in_(mine), Note.status == "delegated").order_by(Note.deadline)
            .limit(_LIMIT))


def timeline(note: Note) -> list[dict]:
    """Every step of the note, oldest first, with who did it."""
    # The events and their actors in one statement (as ``audit.history``, oldest first), as columns: the
    # page shows them, nothing changes them.
    rows = db.session.execute(_timeline(), {"type": type(note).__name__, "id": str(note.id)}).all()
    return [{"at": r.at, "action": r.action, "after": r.after or {},
             "actor": {"id": r.actor_id, "name": r.actor_name} if r.actor_id is not None else None} for r in rows]


@cache
def _timeline():
    from webapp.core.models import AuditEvent

    return (db.select(AuditEvent.at, AuditEvent.action, AuditEvent.after, User.id.label("actor_id"),
                      User.name.label("actor_name")).outerjoin(User, User.id == AuditEvent.actor_id)
            .where(AuditEvent.subject_type == db.bindparam("type"), AuditEvent.subject_id == db.bindparam("id"))
            .order_by(AuditEvent.at))
