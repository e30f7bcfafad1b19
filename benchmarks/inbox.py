"""Benchmark of the élu's inbox (issue 3): many notes for 200 élus.

    .venv/bin/python benchmarks/inbox.py                      # embedded SQLite, 20 000 notes, < 1 min
    .venv/bin/python benchmarks/inbox.py --postgres URL --notes 100000

Prints the inbox request time as a ratio to a trivial authenticated endpoint (``/api/v1/me``)
measured in the same run, and the SQL statements per inbox request for page sizes 10 and 100
(the same count means no N+1). The last line is ``inbox: ratio X`` (target: X ≤ 3).
The PostgreSQL database given is emptied (schema dropped) first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_TMP = tempfile.mkdtemp(prefix="tandem-bench-")
os.environ["TANDEM_INSTANCE_PATH"] = _TMP
os.environ.pop("REDIS_URL", None)

PASSWORD = "mot-de-passe-bench-2026"
ELUS = 200
AGENTS = 100
REPEAT = 60


def build_app(url: str):
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "SERVER_NAME": None,
                      "SECRET_KEY": "bench-secret-key-not-used-anywhere-else"})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
    return app


def populate(app, notes: int) -> str:
    """Bulk-insert people and notes (Core inserts: the service would take minutes). Returns an élu's e-mail."""
    from webapp.accounts import service as accounts
    from webapp.accounts.models import Elu, Mandate, OrgUnit, User
    from webapp.extensions import db
    from webapp.notes.models import Note, NoteAddressee, NoteOption

    with app.app_context():
        direction = OrgUnit(id=uuid.uuid4(), name="Direction", kind="direction")
        units = [OrgUnit(id=uuid.uuid4(), name=f"Service {i}", kind="service", parent_id=direction.id)
                 for i in range(10)]
        db.session.add_all([direction, *units])
        mandate = Mandate(id=uuid.uuid4(), label="2021-2028", starts_on=date(2021, 7, 1), ends_on=date(2028, 3, 31))
        db.session.add(mandate)
        db.session.flush()
        first = accounts.create_user(None, email="elu0@bench.test", name="Élu 0", password=PASSWORD)
        db.session.flush()
        now = datetime.now(UTC)
        rows_users = [dict(id=uuid.uuid4(), email=f"elu{i}@bench.test", name=f"Élu {i}", language="fr",
                           active=True, is_admin=False, password_hash=first.password_hash, created_at=now,
                           updated_at=now) for i in range(1, ELUS)]
        rows_users += [dict(id=uuid.uuid4(), email=f"agent{i}@bench.test", name=f"Agent {i}", language="fr",
                            active=True, is_admin=False, password_hash=first.password_hash,
                            unit_id=units[i % len(units)].id, created_at=now, updated_at=now)
                       for i in range(AGENTS)]
        db.session.execute(db.insert(User), rows_users)
        elu_ids = [first.id] + [r["id"] for r in rows_users[: ELUS - 1]]
        agent_ids = [r["id"] for r in rows_users[ELUS - 1:]]
        db.session.execute(db.insert(Elu), [dict(id=uuid.uuid4(), user_id=u, mandate_id=mandate.id) for u in elu_ids])
        statuses = ["sent", "sent", "sent", "question", "delegated", "answered", "decided", "decided", "draft"]
        batch_notes, batch_addr, batch_opts = [], [], []
        for i in range(notes):
            note_id = uuid.uuid4()
            deadline = now + timedelta(hours=(i % 480) - 120)
            status = statuses[i % len(statuses)]
            batch_notes.append(dict(
                id=note_id, title=f"Note {i} sur le dossier {i % 97}", body="Texte de la note. " * 20,
                status=status, author_id=agent_ids[i % AGENTS], unit_id=units[i % len(units)].id,
                proposed_deadline=deadline, proposed_argument="Argument.", deadline=deadline,
                deadline_argument="Le vote a lieu juste après.", agreement_comment="", return_comment="",
                self_agreed=False, sent_at=now - timedelta(days=3), created_at=now, updated_at=now))
            batch_addr.append(dict(note_id=note_id, user_id=elu_ids[i % ELUS]))
            if i % 3 == 0:
                batch_opts += [dict(id=uuid.uuid4(), note_id=note_id, label=lab, description="Option", position=p)
                               for p, lab in enumerate("AB")]
            if len(batch_notes) >= 5000 or i == notes - 1:
                db.session.execute(db.insert(Note), batch_notes)
                db.session.execute(db.insert(NoteAddressee), batch_addr)
                if batch_opts:
                    db.session.execute(db.insert(NoteOption), batch_opts)
                batch_notes, batch_addr, batch_opts = [], [], []
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(db.text("ANALYZE"))
        return first.email


def signed_in_client(app, email: str):
    client = app.test_client()
    token = client.get("/api/v1/csrf-token").get_json()["token"]
    response = client.post("/login", data={"email": email, "password": PASSWORD}, headers={"X-CSRFToken": token})
    assert response.status_code == 302, response.status_code
    return client


def timed(client, urls: list[str]) -> list[float]:
    """Median time of each URL, requests interleaved so that machine load affects them alike."""
    times: dict[str, list[float]] = {u: [] for u in urls}
    for _ in range(REPEAT):
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            times[url].append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
    return [statistics.median(times[u]) for u in urls]


def statements(app, client, url: str) -> int:
    from sqlalchemy import event

    from webapp.extensions import db

    count = 0

    def _count(*_args, **_kwargs):
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL database to use (it is emptied)")
    parser.add_argument("--notes", type=int, default=20_000)
    args = parser.parse_args()
    url = args.postgres or f"sqlite:///{_TMP}/bench.sqlite"
    started = time.perf_counter()
    app = build_app(url)
    email = populate(app, args.notes)
    print(f"database: {url.split(':', 1)[0]}, {args.notes} notes for {ELUS} élus "
          f"(built in {time.perf_counter() - started:.1f} s)")
    client = signed_in_client(app, email)
    inbox = "/api/v1/notes?box=inbox&per_page={}"
    for path in ("/api/v1/me", inbox.format(20), "/notes/inbox"):
        client.get(path)  # warm-up: caches, compiled statements
    baseline, api_time, page_time = timed(client, ["/api/v1/me", inbox.format(20), "/notes/inbox"])
    per_page = {n: statements(app, client, inbox.format(n)) for n in (10, 100)}
    print(f"trivial endpoint /api/v1/me: {baseline * 1000:.2f} ms (median of {REPEAT})")
    print(f"inbox API (20 per page): {api_time * 1000:.2f} ms, ratio {api_time / baseline:.2f}")
    print(f"inbox page (HTML): {page_time * 1000:.2f} ms, ratio {page_time / baseline:.2f}")
    print(f"SQL statements per inbox request: {per_page[10]} for 10 per page, {per_page[100]} for 100 per page"
          + (" (same: no N+1)" if per_page[10] == per_page[100] else " (DIFFERENT: N+1)"))
    print(f"inbox: ratio {api_time / baseline:.2f}")


if __name__ == "__main__":
    main()
