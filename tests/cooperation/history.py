"""Six months of generated history for a pair (and noise around it), written as rows, with the record
of what was generated kept for the test to compute its own figures."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from webapp.core.audit import record
from webapp.excursions.models import Excursion, Participant
from webapp.extensions import db
from webapp.notes.models import Answer, Delegation, Note, NoteAddressee, Renegotiation

# Per type key: (count, answered within days (low, high), share answered).
PROFILE = {"information": (40, (0.5, 3.0), 0.95), "decision_courante": (30, (3.0, 14.0), 0.8),
           "decision_urgente": (20, (0.05, 1.5), 1.0)}


@dataclass
class Generated:
    notes: list[dict] = field(default_factory=list)  # the pair's notes in the period, as generated
    excursions: list[dict] = field(default_factory=list)


def _note(author, unit_id, elu, type_id, sent: datetime, days: int, answered: datetime | None,
          acknowledged: datetime | None) -> Note:
    note = Note(id=uuid.uuid4(), title="Note générée", body="…", status="answered" if answered else "sent",
                author_id=author.id, unit_id=unit_id, situation_type_id=type_id, submitted_at=sent, sent_at=sent,
                deadline=sent + timedelta(days=days), answered_at=answered, agreed_by_id=author.id, agreed_at=sent,
                proposed_deadline=sent + timedelta(days=days), proposed_argument="Généré",
                deadline_argument="Généré", created_at=sent, updated_at=sent)
    db.session.add(note)
    db.session.add(NoteAddressee(note=note, note_id=note.id, user_id=elu.id, acknowledged_at=acknowledged))
    return note


def generate(p, kinds: dict, rules_days: dict, start: datetime, seed: int = 15) -> Generated:
    """About 90 notes of the pair over the six months from ``start``, plus notes outside the period, of
    another élu and of another service, which the review must leave out."""
    rng = random.Random(seed)
    made = Generated()
    other_elu = p.outsider  # addressed to someone else: not the pair's
    for key, (count, (low, high), share) in PROFILE.items():
        for _n in range(count):
            sent = start + timedelta(days=rng.uniform(0, 175), hours=rng.uniform(0, 3))
            answered = sent + timedelta(days=rng.uniform(low, high)) if rng.random() < share else None
            acknowledged = sent + timedelta(hours=rng.uniform(0.2, 30)) if rng.random() < 0.9 else None
            note = _note(p.agent, p.unit.id, p.elu, kinds[key], sent, rules_days[key], answered, acknowledged)
            facts = {"id": note.id, "type": kinds[key], "sent": sent, "answered": answered,
                     "deadline": note.deadline, "acknowledged": acknowledged, "delegations": 0,
                     "renegotiations": 0, "questions": 0, "paged": 0, "escalated": 0}
            if rng.random() < 0.15:
                db.session.add(Delegation(note=note, by_id=p.elu.id, instructions="Généré", created_at=sent))
                facts["delegations"] = 1
            if rng.random() < 0.2:
                db.session.add(Renegotiation(note=note, requested_by_id=p.elu.id, previous_deadline=note.deadline,
                                             requested_deadline=note.deadline + timedelta(days=2),
                                             argument="Généré", status="accepted", created_at=sent))
                facts["renegotiations"] = 1
            questions = rng.choice((0, 0, 0, 1, 2))
            for _q in range(questions):
                db.session.add(Answer(note=note, author_id=p.elu.id, kind="question", text="?", created_at=sent))
            facts["questions"] = questions
            if key == "decision_urgente":
                db.session.flush()
                record(None, "oncall_paged", note, after={"step": 0})
                facts["paged"] = 1
                if rng.random() < 0.4:
                    record(None, "oncall_escalated", note, after={"step": 1})
                    facts["escalated"] = 1
            made.notes.append(facts)
    # Noise: before the period, to another élu, from another service.
    _note(p.agent, p.unit.id, p.elu, kinds["information"], start - timedelta(days=3), 7, start, None)
    _note(p.agent, p.unit.id, other_elu, kinds["information"], start + timedelta(days=3), 7, None, None)
    _note(p.outsider, p.outsider.unit_id, p.elu, kinds["information"], start + timedelta(days=4), 7, None, None)
    for n, bilan in enumerate(("Le parc est trop loin des écoles.", "", None)):
        done = start + timedelta(days=30 * (n + 1)) if bilan is not None else None
        excursion = Excursion(title=f"Visite {n}", organiser_id=p.agent.id, starts_at=start + timedelta(days=30 * n),
                              status="done" if done else "prepared", done_at=done, bilan_text=bilan or "")
        excursion.participants.append(Participant(user_id=p.elu.id))
        db.session.add(excursion)
        if done:
            made.excursions.append({"title": excursion.title, "bilan": bool(bilan)})
    db.session.commit()
    return made
