"""Every list of notes that grows with time is read through an index, whatever the size of the table.

The database gets a mandate's worth of notes (bulk inserts: the service would take minutes), skewed as
in a real authority (one élu with most of them), then fresh statistics (``ANALYZE``): the planner
then chooses as it would in production, with no setting forced. Each list's statements (page and
count) are explained and must not read ``note`` or ``note_addressee`` from end to end.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event

from tests.notes.helpers import note_in, world
from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes import service
from webapp.notes.models import (
    IN_INBOX,
    Delegation,
    Note,
    NoteAddressee,
    delegation_delegatee,
    inbox_rank,
    note_concerned,
)
from webapp.notes.service.inbox import parse_cursor

NOTES = 20_000


@pytest.fixture
def authority(make):
    """20 000 notes: 12 000 to one élu, the rest spread over 12; most answered long ago."""
    heavy, light = make.elu("Élue chargée"), [make.elu(f"Élu {i}") for i in range(12)]
    manager, author = make.manager_with_agent()
    others = [make.agent(f"Agent {i}", unit=author.unit, manager=manager) for i in range(6)]
    now = utcnow()
    crowd = [uuid.uuid4() for _ in range(200)]
    db.session.execute(User.__table__.insert(), [dict(id=i, email=f"{i}@example.test", name="Agent", language="fr",
                                              active=True, is_admin=False, password_hash="-", unit_id=author.unit_id,
                                              created_at=now, updated_at=now) for i in crowd])
    notes, addressees, concerned, delegations, delegatees = [], [], [], [], []
    for i in range(NOTES):
        # The last 500 still wait for an answer; the others were answered over the mandate.
        status = ("sent", "question", "delegated")[i % 3] if i >= NOTES - 500 else ("decided", "answered")[i % 2]
        if i % 50 == 0:
            status = ("draft", "submitted")[i % 2]
        deadline = now + timedelta(hours=i - NOTES + 400)
        writer = author if i % 10 == 0 else others[i % len(others)]
        notes.append(dict(id=uuid.uuid4(), title=f"Note {i}", body="Texte.", status=status, author_id=writer.id,
                          unit_id=author.unit_id, manager_id=manager.id, deadline=deadline,
                          proposed_deadline=deadline, proposed_argument="", deadline_argument="",
                          agreement_comment="", return_comment="", self_agreed=False, created_at=deadline,
                          updated_at=deadline))
        elu = heavy if i % 5 < 3 else light[i % len(light)]
        addressees.append(dict(note_id=notes[-1]["id"], user_id=elu.id, inbox_rank=inbox_rank(status),
                               deadline=deadline))
        if i % 2 == 1:  # half the notes concern an agent: 50 for each of 200 agents, 100 for the author
            concerned.append(dict(note_id=notes[-1]["id"], user_id=author.id if i % 200 == 1 else crowd[i % 200]))
        if i % 2 == 0 and status in IN_INBOX:  # half were delegated: 50 to each of 200 agents, 20 to a colleague
            delegations.append(dict(id=uuid.uuid4(), note_id=notes[-1]["id"], by_id=elu.id, instructions="",
                                    created_at=deadline))
            delegatee = others[0].id if i % 1000 == 2 else crowd[i % 200]
            delegatees.append(dict(delegation_id=delegations[-1]["id"], user_id=delegatee))
    db.session.execute(Note.__table__.insert(), notes)
    db.session.execute(NoteAddressee.__table__.insert(), addressees)
    db.session.execute(note_concerned.insert(), concerned)
    db.session.execute(Delegation.__table__.insert(), delegations)
    db.session.execute(delegation_delegatee.insert(), delegatees)
    db.session.commit()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return {"heavy": heavy, "light": light[0], "author": author, "manager": manager, "delegatee": others[0]}


def plans(stmt) -> list[str]:
    """The plan of each statement ``stmt`` runs (its page and, through ``paginate``, its count)."""
    seen = []

    def grab(_conn, _cursor, statement, parameters, *_args):
        seen.append((statement, parameters))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", grab)
    try:
        stmt()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    postgres = engine.dialect.name == "postgresql"
    out = []
    with engine.connect() as conn:
        for statement, parameters in seen:
            rows = conn.exec_driver_sql(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + statement,
                                        parameters).all()
            out.append("\n".join(str(row[0] if postgres else row[-1]) for row in rows))
    return out


def read_by_index(plan: str) -> bool:
    """No full read of the notes or of the addressees; SQLite's bare ``SCAN note`` is one."""
    lines = plan.splitlines()
    tables = ("note", "note_addressee", "note_concerned", "note_delegation", "note_delegation_delegatee")
    full = [line for line in lines if any(f"Seq Scan on {t} " in line + " " for t in tables)
            or line.strip() in {f"SCAN {t}" for t in tables}]
    return not full


def deep(user):
    """The cursor 40 pages into the box (the rows a page reads stay those of one page)."""
    after = None
    for _ in range(40):
        _rows, cursor = service.inbox_rows(user, after=parse_cursor(after))
        after = cursor
    return parse_cursor(after)


def test_every_list_of_notes_is_read_through_an_index(authority):
    heavy, light, author, manager, others_agent = (
        authority[k] for k in ("heavy", "light", "author", "manager", "delegatee"))
    lists = {
        "inbox page of the élu with most notes": lambda: service.inbox_rows(heavy),
        "inbox page, deep in the box": lambda: service.inbox_rows(heavy, after=deep(heavy)),
        "inbox page, waiting for an answer": lambda: service.inbox_rows(heavy, status="open"),
        "inbox page of a delegatee": lambda: service.inbox_rows(others_agent),
        "inbox of the élu with most notes": lambda: service.inbox_page(heavy, 1, 30),
        "inbox, page 5": lambda: service.inbox_page(heavy, 5, 30),
        "inbox, waiting for an answer": lambda: service.inbox_page(heavy, 1, 30, status="open"),
        "inbox of an élu with few notes": lambda: service.inbox_page(light, 1, 30),
        "home: notes to answer": lambda: db.session.scalars(
            service.inbox_query(heavy, status="open", within=10).limit(10)).all(),
        "an agent's notes": lambda: service.my_notes_page(author, 1, 20),
        "a manager's notes": lambda: service.my_notes_page(manager, 1, 20),
        "notes to agree": lambda: service.notes_to_agree(manager),
        "delegated to": lambda: service.delegated_to(others_agent),
        "inbox of a delegatee": lambda: service.inbox_page(others_agent, 1, 30),
    }
    for name, run in lists.items():
        for plan in plans(run):
            assert read_by_index(plan), f"{name}:\n{plan}"

    # The copies in note_addressee place each note as the note itself says (first page, in order).
    page = service.inbox_page(heavy, 1, 30)
    expected = db.session.scalars(
        db.select(Note).join(NoteAddressee).where(NoteAddressee.user_id == heavy.id, Note.status.in_(IN_INBOX))
        .order_by(db.case((Note.status.in_(("sent", "question", "delegated")), 0), else_=1), Note.deadline,
                  Note.id).limit(30)).all()
    assert [n.id for n in page.items] == [n.id for n in expected]
    assert not page.exact and page.total >= 30 + service.LOOK_AHEAD


def test_the_inbox_follows_each_note_through_its_life(make):
    """Drafts stay out; answered notes move below the waiting ones; a moved deadline moves the note."""
    w = world(make)
    early, late, draft = note_in(w, "sent", days=2), note_in(w, "sent", days=6), note_in(w, "draft")

    def inbox():
        return [n.id for n in service.inbox_page(w.elu, 1, 30).items]

    assert inbox() == [early.id, late.id] and draft.id not in inbox()
    item = service.request_renegotiation(w.elu, early, early.deadline + timedelta(days=10), "Session budgétaire.")
    service.settle_renegotiation(w.author, early, item, accept=True)
    db.session.commit()
    assert inbox() == [late.id, early.id]
    service.answer(w.elu, late, kind="decision", verdict="approve")
    db.session.commit()
    assert inbox() == [early.id, late.id]
    service.answer(w.elu, early, kind="question", text="Quel coût ?")
    db.session.commit()
    service.reply(w.author, early, "Quarante mille euros.")
    db.session.commit()
    row = db.session.get(NoteAddressee, (early.id, w.elu.id))
    assert (row.inbox_rank, row.deadline) == (0, early.deadline)


def test_the_inbox_page_goes_on_after_its_last_row_in_the_same_order(authority):
    """Page after page by keyset: the rows of the box in inbox order, each once, and an end."""
    heavy = authority["heavy"]
    expected = [n.id for n in db.session.scalars(service.inbox_query(heavy, status="open"))]
    seen, after, pages = [], None, 0
    while True:
        rows, after = service.inbox_rows(heavy, after=parse_cursor(after), status="open")
        seen += [row.id for row in rows]
        pages += 1
        if after is None:
            break
    assert seen == expected and pages == -(-len(expected) // 30)
