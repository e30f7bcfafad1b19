"""A page costs a handful of SQL statements, however many notes, answers, people or attachments it
shows: counted on the engine (``before_cursor_execute``) while a signed-in person opens the page."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from tests.notes.helpers import BODY, note_in, world
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes import service

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
INBOX_BUDGET = 3  # the session, the page's rows, the person's facts (roles, navigation, filters: core.facts)
NOTE_BUDGET = 12
HOME_BUDGET = 10  # the session, the facts, the unit's parent, and one per domain with something to show


@contextmanager
def counted(app):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def opened(app, client, url: str) -> list[str]:
    client.get(url)  # the first visit may write (acknowledgement); the count is for every visit after
    with counted(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return statements


def rich_note(w, make, size: int):
    """A sent note with ``size`` addressees, concerned agents, attachments, answers and delegatees."""
    elus = [w.elu] + [make.elu(f"Élu {i}") for i in range(size - 1)]
    concerned = [w.concerned] + [make.agent(f"Agent {i}", unit=w.author.unit) for i in range(size - 1)]
    note = service.create_note(w.author, title="Horaires", body=BODY, addressee_ids=[e.id for e in elus],
                               concerned_ids=[c.id for c in concerned], options=["Deux sites", "Tous"],
                               proposed_deadline=utcnow() + timedelta(days=5), proposed_argument="Vote.")
    for i in range(size):
        service.add_attachment(w.author, note, f"piece-{i}.pdf", PDF)
    service.submit(w.author, note)
    service.agree(w.manager, note)
    for i, elu in enumerate(elus):
        service.answer(elu, note, kind="opinion", text=f"Avis {i}")
        service.answer(elu, note, kind="annotation", quote="deux sites pilotes", text=f"Lesquels ? {i}")
    service.request_renegotiation(w.elu, note, note.deadline + timedelta(days=7), "Session budgétaire.")
    db.session.commit()
    return note


def test_the_note_page_costs_the_same_few_statements_whatever_it_shows(app, make):
    w = world(make)
    small, large = rich_note(w, make, 1), rich_note(w, make, 6)
    for person in (w.elu, w.author, w.manager):
        client = app.test_client()
        client.login(person)
        counts = [len(opened(app, client, f"/notes/{note.id}")) for note in (small, large)]
        assert counts[0] == counts[1] <= NOTE_BUDGET, (person.name, counts)


def test_a_delegated_note_page_stays_within_the_budget(app, make):
    w = world(make)
    note = note_in(w, "delegated")
    for person in (w.elu, w.delegatee):
        client = app.test_client()
        client.login(person)
        assert len(opened(app, client, f"/notes/{note.id}")) <= NOTE_BUDGET


def test_the_inbox_page_costs_the_same_few_statements_for_three_notes_or_thirty(app, client, make):
    w = world(make)
    client.login(w.elu)
    states = ("sent", "decided", "question", "delegated", "renegotiation")
    counts = []
    for made, wanted in ((0, 3), (3, 30)):
        for i in range(made, wanted):
            note_in(w, states[i % len(states)], days=1 + i)
        counts.append(len(opened(app, client, "/notes/inbox")))
    assert counts[0] == counts[1] <= INBOX_BUDGET, counts


def test_the_benchmarks_baseline_reads_the_session_and_nothing_else(app, client, make):
    assert client.get("/api/v1/ping").status_code == 401
    client.login(make.agent())
    client.get("/api/v1/ping")
    with counted(app) as statements:
        response = client.get("/api/v1/ping")
    assert response.status_code == 200 and response.get_json() == {"status": "pong"}
    assert len(statements) == 1 and "FROM device_session" in statements[0], statements


def test_the_notification_centre_costs_the_same_statements_for_two_subjects_or_twelve(app, client, make):
    """Each notification names its note or excursion when the person may still open it: the centre reads
    the subjects and what the permission asks about in a few statements, not a few per notification."""
    from webapp.excursions import service as excursions
    from webapp.push.models import Notification

    w = world(make)
    client.login(w.elu)
    counts = []
    for made, wanted in ((0, 1), (1, 6)):
        for i in range(made, wanted):
            note_in(w, "sent", days=1 + i)
            excursions.create_excursion(w.author, title=f"Visite {i}", elu_ids=[w.elu.id],
                                        starts_at=utcnow() + timedelta(days=2 + i))
            db.session.commit()
        counts.append(len(opened(app, client, "/notifications")))
    urls = db.session.scalars(db.select(Notification.url).where(Notification.user_id == w.elu.id)).all()
    assert sum(u.startswith("/notes/") for u in urls) >= 6 and sum(u.startswith("/excursions/") for u in urls) >= 6
    assert counts[0] == counts[1], counts
    page = client.get("/notifications").get_data(as_text=True)
    assert "Visite 5" in page


def test_drafting_a_note_writes_it_once_and_reads_nothing_back(app, client, make):
    """The answer to a draft's creation shows its (empty) answers, options and attachments without reading
    them: the session, the person's facts (may they draft?), the note's INSERT and its history's."""
    w = world(make)
    client.login(w.author)
    client.get("/api/v1/ping")
    with counted(app) as statements:
        response = client.post("/api/v1/notes", json={"title": "Horaires d’été", "body": "Texte."})
    assert response.status_code == 201, response.get_json()
    note = response.get_json()
    assert note["title"] == "Horaires d’été" and note["answers"] == [] and note["attachments"] == []
    writes = [s.split()[0] + " " + s.split()[2] for s in statements if not s.startswith("SELECT")]
    assert writes == ["INSERT note", "INSERT audit_event"], writes
    assert len(statements) == 4, statements
    assert client.get(f"/api/v1/notes/{note['id']}").get_json()["title"] == "Horaires d’été"


def test_an_agents_home_costs_a_statement_per_section_at_most(app, client, make):
    w = world(make)
    for i in range(3):
        note_in(w, "sent", days=1 + i)
    client.login(w.author)
    statements = opened(app, client, "/")
    assert len(statements) <= HOME_BUDGET, "\n".join(s[:120] for s in statements)
