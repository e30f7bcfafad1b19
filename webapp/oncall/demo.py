"""The on-call part of the demo authority: the tour's vice-président on call this week for his service,
two more élus of the majority after him, weekly from Monday 9:00, escalating after 15 minutes.

Idempotent: the rota is found by its service and name.
"""

from __future__ import annotations

from datetime import timedelta

from webapp.accounts.demo import member
from webapp.accounts.models import User
from webapp.core.clock import to_paris, utcnow
from webapp.extensions import db
from webapp.oncall.models import Rota, RotaMember
from webapp.organisation.models import Elu

NAME = "Astreinte des élus"


def build() -> None:
    elu = member("elu")
    term = next(iter(elu.elu_terms), None) if elu else None
    units = [u for f in (term.functions if term else []) for u in f.units]
    if not units:
        return
    unit = min(units, key=lambda u: u.name)  # a delegation's units have no order: the same unit each run
    if db.session.scalar(db.select(Rota.id).where(Rota.unit_id == unit.id, Rota.name == NAME)) is not None:
        return
    others = db.session.scalars(db.select(User).join(Elu, Elu.user_id == User.id)
                                .where(Elu.mandate_id == term.mandate_id, User.id != elu.id, User.active.is_(True))
                                .order_by(User.name).limit(2)).all()
    today = to_paris(utcnow()).date()
    rota = Rota(unit_id=unit.id, name=NAME, rotation="weekly", starts_on=today - timedelta(days=today.weekday()),
                handover_minute=9 * 60, escalation_delay_minutes=15, escalation_steps=2)
    db.session.add(rota)
    for position, user in enumerate([elu, *others]):
        rota.members.append(RotaMember(user_id=user.id, position=position))
    db.session.flush()
