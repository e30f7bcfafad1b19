"""The excursions of one pair over a period, for the cooperation review: those organised by the
service with the élu taking part, done in the period, and whether their mini-bilan was written."""

from __future__ import annotations

from datetime import datetime

from webapp.accounts.models import User
from webapp.excursions.models import Excursion, Participant
from webapp.extensions import db


def pair_excursions(unit_ids, elu_id, start: datetime, end: datetime) -> list[dict]:
    stmt = (db.select(Excursion.id, Excursion.title, Excursion.done_at, Excursion.bilan_text)
            .join(Participant, db.and_(Participant.excursion_id == Excursion.id, Participant.user_id == elu_id))
            .join(User, User.id == Excursion.organiser_id)
            .where(User.unit_id.in_(list(unit_ids)), Excursion.status == "done", Excursion.done_at >= start,
                   Excursion.done_at < end)
            .order_by(Excursion.done_at))
    return [{"id": i, "title": t, "done_at": d, "bilan": bool((b or "").strip())}
            for i, t, d, b in db.session.execute(stmt)]
