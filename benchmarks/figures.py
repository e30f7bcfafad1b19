"""Benchmark of the notes' figures (median response time, share on time…) over a long history.

    .venv/bin/python benchmarks/figures.py     # no argument, embedded SQLite, 20 000 sent notes, < 1 min

Prints the time of ``notes.service.figures()`` as a ratio to a bare read, through the same database
connection, of the rows it needs (the columns of every sent note and its addressees), measured in the
same run: what the computation adds to the unavoidable reading. Last line: ``figures: ratio X``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_TMP = tempfile.mkdtemp(prefix="tandem-bench-figures-")
os.environ["TANDEM_INSTANCE_PATH"] = _TMP
os.environ.pop("REDIS_URL", None)

NOTES = 20_000
ELUS = 40
UNITS = 12
ROUNDS = 7


def build_app():
    from flask_migrate import upgrade

    from webapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{_TMP}/bench.sqlite",
                      "SECRET_KEY": "bench-secret-key-not-used-anywhere-else"})
    with app.app_context():
        upgrade()
    return app


def fill() -> None:
    """Sent notes over ten months, two in three answered, some delegated or renegotiated (bulk inserts)."""
    from webapp.accounts.models import OrgUnit, User
    from webapp.core.clock import utcnow
    from webapp.extensions import db
    from webapp.notes.models import Delegation, Note, NoteAddressee, Renegotiation

    rng = random.Random(2026)
    direction = OrgUnit(name="Direction", kind="direction")
    units = [OrgUnit(name=f"Service {n}", kind="service", parent=direction) for n in range(UNITS)]
    people = [User(email=f"p{n}@bench.test", name=f"Personne {n}", password_hash="-") for n in range(UNITS + ELUS)]
    db.session.add_all([direction, *units, *people])
    db.session.flush()
    agents, elus, now = people[:UNITS], people[UNITS:], utcnow()
    notes, addressees, delegations, renegotiations = [], [], [], []
    for n in range(NOTES):
        note_id, sent = uuid.uuid4(), now - timedelta(days=rng.random() * 300)
        answered = sent + timedelta(hours=rng.random() * 120) if n % 3 else None
        notes.append({"id": note_id, "title": "Note", "body": "Texte", "status": "answered" if answered else "sent",
                      "author_id": agents[n % UNITS].id, "unit_id": units[n % UNITS].id, "sent_at": sent,
                      "answered_at": answered, "deadline": sent + timedelta(days=3), "created_at": sent,
                      "updated_at": sent})
        addressees.append({"note_id": note_id, "user_id": elus[n % ELUS].id})
        if n % 17 == 0:
            delegations.append({"id": uuid.uuid4(), "note_id": note_id, "by_id": elus[n % ELUS].id,
                                "created_at": sent})
        if n % 23 == 0:
            renegotiations.append({"id": uuid.uuid4(), "note_id": note_id, "requested_by_id": elus[n % ELUS].id,
                                   "previous_deadline": sent + timedelta(days=3),
                                   "requested_deadline": sent + timedelta(days=6), "argument": "Charge",
                                   "status": "accepted", "created_at": sent})
    for model, rows in ((Note, notes), (NoteAddressee, addressees), (Delegation, delegations),
                        (Renegotiation, renegotiations)):
        db.session.execute(db.insert(model), rows)
    db.session.commit()


def bare_read() -> None:
    from webapp.extensions import db

    with db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT id, unit_id, sent_at, answered_at, deadline FROM note "
                                   "WHERE sent_at IS NOT NULL").fetchall()
        connection.exec_driver_sql("SELECT note_id, user_id FROM note_addressee").fetchall()


def interleaved(baseline, measured) -> tuple[float, float, float]:
    """Both sides in each of ROUNDS rounds, one after the other (machine load hits them alike): the
    medians of each side and the median of the per-round ratios."""
    times: dict = {baseline: [], measured: []}
    for _ in range(ROUNDS):
        for fn in (baseline, measured):
            start = time.perf_counter()
            fn()
            times[fn].append(time.perf_counter() - start)
    ratio = statistics.median(m / b for m, b in zip(times[measured], times[baseline], strict=True))
    return statistics.median(times[baseline]), statistics.median(times[measured]), ratio


def main() -> None:
    app = build_app()
    with app.app_context():
        from webapp.extensions import db
        from webapp.notes import service

        fill()

        def figures():
            db.session.expunge_all()
            return service.figures()

        rows = figures()
        baseline, computed, ratio = interleaved(bare_read, figures)
    print(f"{NOTES} sent notes, {len(rows['elus'])} élus, {len(rows['services'])} services")
    print(f"bare read of the rows needed: {baseline * 1000:8.1f} ms")
    print(f"figures():                    {computed * 1000:8.1f} ms")
    print(f"(medians of {ROUNDS} interleaved rounds)")
    print(f"figures: ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
