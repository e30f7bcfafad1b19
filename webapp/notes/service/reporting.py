"""The figures: response times and deadlines kept, per élu and per service (aggregates only)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from webapp.accounts.models import OrgUnit, User
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes.models import Delegation, Note, NoteAddressee, Renegotiation


def figures(now: datetime | None = None) -> dict:
    """Per élu and per service: notes received, median response time (hours), share answered on
    time, delegations, renegotiations. Aggregates only: no title, no content.

    Reads a few columns per note, not the notes: the figures cover the whole history (tens of
    thousands of notes), and the median has no portable SQL form, so it is computed here.
    """
    now = now or utcnow()
    delegations, renegotiations = _count_per_note(Delegation), _count_per_note(Renegotiation)
    stmt = (db.select(Note.id, Note.unit_id, Note.sent_at, Note.answered_at, Note.deadline,
                      db.func.coalesce(delegations.c.n, 0), db.func.coalesce(renegotiations.c.n, 0))
            .outerjoin(delegations, delegations.c.note_id == Note.id)
            .outerjoin(renegotiations, renegotiations.c.note_id == Note.id)
            .where(Note.sent_at.is_not(None)))
    facts, per_unit = {}, defaultdict(list)
    for note_id, unit_id, *columns in db.session.execute(stmt):
        facts[note_id] = _Facts(*columns)
        per_unit[unit_id].append(facts[note_id])
    per_elu: dict = defaultdict(list)
    for note_id, user_id in db.session.execute(db.select(NoteAddressee.note_id, NoteAddressee.user_id)
                                               .join(Note).where(Note.sent_at.is_not(None))):
        per_elu[user_id].append(facts[note_id])
    names = dict(db.session.execute(db.select(User.id, User.name).where(User.id.in_(list(per_elu)))).all())
    paths = {u.id: u.path for u in db.session.scalars(db.select(OrgUnit).where(
        OrgUnit.id.in_([i for i in per_unit if i])).options(joinedload(OrgUnit.parent)))}
    elus = [_row(i, names.get(i, "?"), group, now) for i, group in per_elu.items()]
    services = [_row(i, paths.get(i, _("Sans service")), group, now) for i, group in per_unit.items()]
    return {"elus": sorted(elus, key=lambda r: r["name"]), "services": sorted(services, key=lambda r: r["name"])}


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the figures need of one note."""

    sent_at: datetime
    answered_at: datetime | None
    deadline: datetime | None
    delegations: int
    renegotiations: int


def _count_per_note(model):
    return db.select(model.note_id, db.func.count().label("n")).group_by(model.note_id).subquery()


def _row(key, name: str, notes: list[_Facts], now: datetime) -> dict:
    hours = [(n.answered_at - n.sent_at).total_seconds() / 3600 for n in notes if n.answered_at]
    judged = [n for n in notes if n.answered_at or (n.deadline and n.deadline < now)]
    on_time = [n for n in judged if n.answered_at and n.deadline and n.answered_at <= n.deadline]
    return {
        "id": str(key) if key else None, "name": name, "notes": len(notes), "answered": len(hours),
        "median_response_hours": round(statistics.median(hours), 1) if hours else None,
        "on_time_share": round(len(on_time) / len(judged), 2) if judged else None,
        "delegations": sum(n.delegations for n in notes),
        "renegotiations": sum(n.renegotiations for n in notes),
    }
