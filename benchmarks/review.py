"""Benchmark of the cooperation's six-month review of one pair over a long history.

    .venv/bin/python benchmarks/review.py     # no argument, embedded SQLite, 20 000 notes of one pair, < 1 min

Prints the time of ``cooperation.review.figures()`` and its proposals as a ratio to a bare read, through
the same database connection, of the rows it reads (the pair's notes with the élu's receipt), measured in
the same run: what the review adds to the unavoidable reading. Last line: ``review: ratio X``.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_TMP = tempfile.mkdtemp(prefix="tandem-bench-review-")
os.environ["TANDEM_INSTANCE_PATH"] = _TMP
os.environ.pop("REDIS_URL", None)

from benchmarks.figures import ROUNDS, interleaved  # noqa: E402

NOTES = 20_000
TYPES = ("information", "decision_courante", "decision_urgente", "arbitrage")


def build_app():
    from flask_migrate import upgrade

    from webapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{_TMP}/bench.sqlite",
                      "SECRET_KEY": "bench-secret-key-not-used-anywhere-else"})
    with app.app_context():
        upgrade()
    return app


def fill():
    """One service and its VP with an agreed anti-manuel; 20 000 notes over six months, most answered,
    some delegated, renegotiated, questioned, paged on call; then the pair's review (bulk inserts)."""
    from webapp.accounts.models import OrgUnit, User
    from webapp.cooperation import reviews, service
    from webapp.core.clock import utcnow
    from webapp.core.models import AuditEvent
    from webapp.extensions import db
    from webapp.notes.models import Answer, Delegation, Note, NoteAddressee, Renegotiation

    rng = random.Random(2026)
    direction = OrgUnit(name="Direction", kind="direction")
    unit = OrgUnit(name="Voirie", kind="service", parent=direction)
    head, agent, elu = (User(email=f"{n}@bench.test", name=n, password_hash="-", unit=unit if n != "elu" else None)
                        for n in ("head", "agent", "elu"))
    db.session.add_all([direction, unit, head, agent, elu])
    db.session.flush()
    charter = service.open_charter(head, unit, elu_ids=[elu.id], head=head)
    version = service.open_version(charter)
    kinds = {t.key: t.id for t in service.catalogue()}
    for key in TYPES:
        service.set_rule(head, version, kinds[key], deadline_days=rng.choice((1, 3, 7, 10)))
    service.propose(head, version)
    service.agree(head, version)
    service.agree(elu, version)
    now = utcnow()
    start = now - timedelta(days=190)
    notes, addressees, delegations, renegotiations, questions, events = [], [], [], [], [], []
    for n in range(NOTES):
        note_id, sent = uuid.uuid4(), start + timedelta(days=rng.random() * 180)
        answered = sent + timedelta(hours=rng.random() * 200) if n % 5 else None
        notes.append({"id": note_id, "title": "Note", "body": "Texte", "status": "answered" if answered else "sent",
                      "author_id": agent.id, "unit_id": unit.id, "situation_type_id": kinds[TYPES[n % len(TYPES)]],
                      "sent_at": sent, "answered_at": answered, "deadline": sent + timedelta(days=3),
                      "created_at": sent, "updated_at": sent})
        addressees.append({"note_id": note_id, "user_id": elu.id,
                           "acknowledged_at": sent + timedelta(hours=rng.random() * 24) if n % 7 else None})
        if n % 17 == 0:
            delegations.append({"id": uuid.uuid4(), "note_id": note_id, "by_id": elu.id, "created_at": sent})
        if n % 23 == 0:
            renegotiations.append({"id": uuid.uuid4(), "note_id": note_id, "requested_by_id": elu.id,
                                   "previous_deadline": sent + timedelta(days=3),
                                   "requested_deadline": sent + timedelta(days=6), "argument": "Charge",
                                   "status": "accepted", "created_at": sent})
        if n % 11 == 0:
            questions.append({"id": uuid.uuid4(), "note_id": note_id, "author_id": elu.id, "kind": "question",
                              "text": "?", "created_at": sent})
        if n % 29 == 0:
            events.append({"id": uuid.uuid4(), "at": sent, "action": "oncall_paged", "subject_type": "Note",
                           "subject_id": str(note_id)})
    for model, rows in ((Note, notes), (NoteAddressee, addressees), (Delegation, delegations),
                        (Renegotiation, renegotiations), (Answer, questions), (AuditEvent, events)):
        db.session.execute(db.insert(model), rows)
    item = reviews.open_review(head, charter, elu, start, start + reviews.SIX_MONTHS)
    db.session.commit()
    return item.id, unit.id, elu.id


def main() -> None:
    app = build_app()
    with app.app_context():
        from webapp.cooperation import review
        from webapp.extensions import db

        review_id, unit_id, elu_id = fill()

        def bare_read() -> None:
            with db.engine.connect() as connection:
                connection.exec_driver_sql(
                    "SELECT note.id, note.situation_type_id, note.sent_at, note.answered_at, note.deadline, "
                    "note_addressee.acknowledged_at FROM note JOIN note_addressee ON note_addressee.note_id = "
                    "note.id AND note_addressee.user_id = ? WHERE note.unit_id = ?",
                    (elu_id.hex, unit_id.hex)).fetchall()

        def figures():
            db.session.expunge_all()
            found = review.figures(review.get_review(review_id))
            review.proposals(found)
            return found

        found = figures()
        baseline, computed, ratio = interleaved(bare_read, figures)
    print(f"{found['total'].notes} notes of one pair, {len(found['types'])} situation types")
    print(f"bare read of the rows needed: {baseline * 1000:8.1f} ms")
    print(f"review figures():             {computed * 1000:8.1f} ms")
    print(f"(medians of {ROUNDS} interleaved rounds)")
    print(f"review: ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
