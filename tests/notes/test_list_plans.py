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

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes import service
from webapp.notes.models import IN_INBOX, Note, NoteAddressee, inbox_rank, note_concerned

NOTES = 20_000


@pytest.fixture
def authority(make):
    """20 000 notes: 12 000 to one élu, the rest spread over 12; most answered long ago."""
    heavy, light = make.elu("Élue chargée"), [make.elu(f"Élu {i}") for i in range(12)]
    manager, author = make.manager_with_agent()
    others = [make.agent(f"Agent {i}", unit=author.unit, manager=manager) for i in range(6)]
    now = utcnow()
    notes, addressees, concerned = [], [], []
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
        if i % 7 == 0 and status in IN_INBOX:
            concerned.append(dict(note_id=notes[-1]["id"], user_id=author.id))
    db.session.execute(db.insert(Note), notes)
    db.session.execute(db.insert(NoteAddressee), addressees)
    db.session.execute(note_concerned.insert(), concerned)
    db.session.commit()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return {"heavy": heavy, "light": light[0], "author": author, "manager": manager}


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
    full = [line for line in lines if "Seq Scan on note " in line or "Seq Scan on note_addressee" in line
            or line.strip() in ("SCAN note", "SCAN note_addressee")]
    return not full


def test_every_list_of_notes_is_read_through_an_index(authority):
    heavy, light, author, manager = (authority[k] for k in ("heavy", "light", "author", "manager"))
    lists = {
        "inbox of the élu with most notes": lambda: service.inbox_page(heavy, 1, 30),
        "inbox, page 5": lambda: service.inbox_page(heavy, 5, 30),
        "inbox, waiting for an answer": lambda: service.inbox_page(heavy, 1, 30, status="open"),
        "inbox of an élu with few notes": lambda: service.inbox_page(light, 1, 30),
        "home: notes to answer": lambda: db.session.scalars(
            service.inbox_query(heavy, status="open", within=10).limit(10)).all(),
        "an agent's notes": lambda: service.my_notes_page(author, 1, 20),
        "a manager's notes": lambda: service.my_notes_page(manager, 1, 20),
        "notes to agree": lambda: service.notes_to_agree(manager),
        "delegated to": lambda: service.delegated_to(author),
    }
    for name, run in lists.items():
        for plan in plans(run):
            assert read_by_index(plan), f"{name}:\n{plan}"


def test_the_inbox_reads_the_same_notes_as_a_plain_query(authority):
    """The copies in note_addressee place each note as the note itself says (first page, in order)."""
    heavy = authority["heavy"]
    page = service.inbox_page(heavy, 1, 30)
    expected = db.session.scalars(
        db.select(Note).join(NoteAddressee).where(NoteAddressee.user_id == heavy.id, Note.status.in_(IN_INBOX))
        .order_by(db.case((Note.status.in_(("sent", "question", "delegated")), 0), else_=1), Note.deadline,
                  Note.id).limit(30)).all()
    assert [n.id for n in page.items] == [n.id for n in expected]
    assert not page.exact and page.total >= 30 * 1 + service.LOOK_AHEAD
