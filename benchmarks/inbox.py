"""Benchmark of the élu's inbox page at the size of a whole mandate (issue 16).

    .venv/bin/python benchmarks/inbox.py                      # embedded SQLite, 200 000 notes, < 1 min
    .venv/bin/python benchmarks/inbox.py --postgres URL --notes 1000000

Notes are distributed as in a real authority: a few élus (the president, the vice-presidents with
the widest delegations) receive thousands, most receive hundreds; over the mandate most were answered
long ago and a few hundred still wait. Requests go through the app in-process (no network), signed in.

The baseline is ``/api/v1/ping``: signed in as every page is (the session cookie, and its device still
signed in: one statement, as a test asserts) and nothing else, so the ratio is what the inbox adds to
the cheapest signed-in request the app can answer. ``/api/v1/me`` would not do: it loads the roles.

Rounds interleave every request kind (so that machine load hits them alike); each round gives a ratio
of medians; the last line is the median over the rounds: ``inbox: ratio X`` for the page of the élu
with the most notes. The PostgreSQL database given is emptied (schema dropped) first.
"""

from __future__ import annotations

import argparse
import os
import random
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
HEAVY = (0.05, 0.04, 0.03, 0.025, 0.02)  # shares of all notes of the five busiest élus
AGENTS = 100
OPEN = 600  # notes still waiting for an answer, across the authority
ROUNDS = 9
PER_ROUND = 12
BATCH = 10_000


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


def addressee_of(rng: random.Random, elus: list) -> object:
    """The five busiest élus get their share; the others split the rest evenly (hundreds each)."""
    roll = rng.random()
    for elu, share in zip(elus, HEAVY, strict=False):
        if roll < share:
            return elu
        roll -= share
    return elus[len(HEAVY) + rng.randrange(len(elus) - len(HEAVY))]


def bulk(table, rows: list[dict]) -> None:
    """Plain rows at the driver's speed: COPY on PostgreSQL, ``executemany`` of values converted by the
    columns' own types on SQLite (the ORM, or even Core's per-row processing, would take minutes)."""
    from webapp.extensions import db

    conn = db.session.connection()
    defaults = {c.name: c.default.arg for c in table.columns if c.default is not None and c.default.is_scalar}
    names = [c.name for c in table.columns if c.name in rows[0] or c.name in defaults]
    values = [[row.get(name, defaults.get(name)) for name in names] for row in rows]
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(
                f'COPY "{table.name}" ({", ".join(names)}) FROM STDIN') as copy:
            for row in values:
                copy.write_row(row)
        return
    process = [table.c[name].type.bind_processor(conn.dialect) for name in names]
    converted = [[f(v) if f else v for f, v in zip(process, row, strict=True)] for row in values]
    insert = f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'  # noqa: S608 (names from the model)
    raw.cursor().executemany(insert, converted)


def populate(app, notes: int) -> tuple[str, str]:
    """Bulk-insert people and notes (plain rows through the driver: the service would take hours).
    Returns the e-mails of the busiest élu and of a typical one."""
    from webapp.accounts import service as accounts
    from webapp.accounts.models import OrgUnit, User
    from webapp.extensions import db
    from webapp.notes.models import Note, NoteAddressee, inbox_rank
    from webapp.organisation.models import Elu, Mandate

    rng = random.Random(16)
    with app.app_context():
        seeding = db.session.connection()
        raw, sqlite = seeding.connection.dbapi_connection, seeding.dialect.name == "sqlite"
        if sqlite:  # this connection only, until the commit: no journal, no fsync
            seeding.exec_driver_sql("PRAGMA journal_mode=OFF")
            seeding.exec_driver_sql("PRAGMA synchronous=OFF")
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
        people = [dict(id=uuid.uuid4(), email=f"elu{i}@bench.test", name=f"Élu {i}", language="fr", active=True,
                       is_admin=False, password_hash=first.password_hash, created_at=now, updated_at=now)
                  for i in range(1, ELUS)]
        people += [dict(id=uuid.uuid4(), email=f"agent{i}@bench.test", name=f"Agent {i}", language="fr",
                        active=True, is_admin=False, password_hash="-", unit_id=units[i % len(units)].id,
                        created_at=now, updated_at=now) for i in range(AGENTS)]
        db.session.execute(User.__table__.insert(), people)
        elu_ids = [first.id] + [p["id"] for p in people[: ELUS - 1]]
        agent_ids = [p["id"] for p in people[ELUS - 1:]]
        db.session.execute(Elu.__table__.insert(), [dict(id=uuid.uuid4(), user_id=u, mandate_id=mandate.id)
                                                    for u in elu_ids])
        mandate_hours = 4 * 365 * 24
        note_rows, addressee_rows = [], []
        for i in range(notes):
            # Oldest first over four years; the last OPEN ones still wait (some already overdue).
            age = timedelta(hours=mandate_hours * (notes - i) / notes)
            waiting = i >= notes - OPEN
            status = ("sent", "sent", "question", "delegated")[i % 4] if waiting else ("decided", "answered")[i % 2]
            sent_at = now - age
            deadline = sent_at + timedelta(days=10)
            note_id = uuid.uuid4()
            note_rows.append(dict(
                id=note_id, title=f"Note {i} sur le dossier {i % 97}", body="Texte de la note.", status=status,
                author_id=agent_ids[i % AGENTS], unit_id=units[i % len(units)].id, proposed_deadline=deadline,
                proposed_argument="Argument.", deadline=deadline, deadline_argument="Le vote a lieu juste après.",
                agreement_comment="", return_comment="", self_agreed=False, sent_at=sent_at, created_at=sent_at,
                updated_at=sent_at, answered_at=None if waiting else sent_at + timedelta(days=3)))
            addressee_rows.append(dict(note_id=note_id, user_id=addressee_of(rng, elu_ids),
                                       inbox_rank=inbox_rank(status), deadline=deadline))
            if len(note_rows) >= BATCH or i == notes - 1:
                bulk(Note.__table__, note_rows)
                bulk(NoteAddressee.__table__, addressee_rows)
                note_rows, addressee_rows = [], []
        db.session.commit()
        if sqlite:  # back to the app's own settings (webapp/core/sqlite.py)
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA synchronous=NORMAL")
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        counts = dict(db.session.execute(db.select(NoteAddressee.user_id, db.func.count())
                                         .group_by(NoteAddressee.user_id)).all())
        busiest = max(counts, key=counts.get)
        typical = sorted(counts, key=counts.get)[len(counts) // 2]
        emails = dict(db.session.execute(db.select(User.id, User.email)).all())
        print(f"notes per élu: busiest {counts[busiest]}, median {counts[typical]}, fewest {min(counts.values())}")
        return emails[busiest], emails[typical]


def signed_in_client(app, email: str):
    client = app.test_client()
    token = client.get("/api/v1/csrf-token").get_json()["token"]
    response = client.post("/login", data={"email": email, "password": PASSWORD}, headers={"X-CSRFToken": token})
    assert response.status_code == 302, response.status_code
    return client


def fifth_page(client) -> str:
    """The URL of the fifth page, reached as a person does: following "Notes suivantes" four times."""
    import re

    url = "/notes/inbox"
    for _ in range(4):
        page = client.get(url).get_data(as_text=True)
        url = re.search(r'<a href="([^"]*after=[^"]*)">Notes suivantes</a>', page).group(1).replace("&amp;", "&")
    return url


def rounds(requests: dict) -> dict[str, list[float]]:
    """For each round, the median time of each request kind, all kinds interleaved within the round."""
    out: dict[str, list[float]] = {name: [] for name in requests}
    for _ in range(ROUNDS):
        times: dict[str, list[float]] = {name: [] for name in requests}
        for _ in range(PER_ROUND):
            for name, (client, url) in requests.items():
                start = time.perf_counter()
                response = client.get(url)
                times[name].append(time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code)
        for name in requests:
            out[name].append(statistics.median(times[name]))
    return out


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
    parser.add_argument("--notes", type=int, default=200_000)
    args = parser.parse_args()
    url = args.postgres or f"sqlite:///{_TMP}/bench.sqlite"
    started = time.perf_counter()
    app = build_app(url)
    busiest, typical = populate(app, args.notes)
    print(f"database: {url.split(':', 1)[0]}, {args.notes} notes for {ELUS} élus "
          f"(built in {time.perf_counter() - started:.1f} s)")
    heavy, light = signed_in_client(app, busiest), signed_in_client(app, typical)
    requests = {
        "ping": (heavy, "/api/v1/ping"),
        "page": (heavy, "/notes/inbox"),
        "page, typical élu": (light, "/notes/inbox"),
        "page 5": (heavy, fifth_page(heavy)),
        "API": (heavy, "/api/v1/notes?box=inbox&per_page=30"),
    }
    for client, path in requests.values():
        client.get(path)  # warm-up: caches, compiled statements
    times = rounds(requests)
    ratios = {name: statistics.median(t / b for t, b in zip(times[name], times["ping"], strict=True))
              for name in requests}
    print(f"trivial endpoint /api/v1/ping: {statistics.median(times['ping']) * 1000:.2f} ms "
          f"(median of {ROUNDS} rounds of {PER_ROUND})")
    for name in requests:
        if name != "ping":
            print(f"inbox {name}: {statistics.median(times[name]) * 1000:.2f} ms, ratio {ratios[name]:.2f}")
    print("SQL statements: inbox page {}, API {} (whatever the number of notes)".format(
        statements(app, heavy, "/notes/inbox"), statements(app, heavy, "/api/v1/notes?box=inbox&per_page=30")))
    print(f"inbox: ratio {ratios['page']:.2f}")


if __name__ == "__main__":
    main()
