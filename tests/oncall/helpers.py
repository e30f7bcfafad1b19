"""A service with its head, an agent and three élus on call in turn, weekly from Monday 9:00."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from webapp.core.clock import PARIS
from webapp.extensions import db
from webapp.oncall.models import Rota, RotaMember

MONDAY = date(2026, 11, 2)  # a Monday, in winter time (UTC+1)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@dataclass
class Crew:
    unit: object
    head: object
    agent: object
    elus: list
    outsider: object


def crew(make) -> Crew:
    unit = make.unit("Routes")
    head, agent = make.manager_with_agent(unit)
    elus = [make.elu(name, functions=[{"kind": "vice_president", "delegation": "Routes", "units": [unit]}])
            for name in ("Anne Premier", "Bruno Second", "Chloé Troisième")]
    return Crew(unit=unit, head=head, agent=agent, elus=elus, outsider=make.agent("Agent Extérieur"))


def rota_of(unit, people, *, rotation: str = "weekly", starts_on: date = MONDAY, handover: int = 9 * 60,
            delay: int = 15, steps: int = 2) -> Rota:
    rota = Rota(unit_id=unit.id, name="Astreinte des élus", rotation=rotation, starts_on=starts_on,
                handover_minute=handover, escalation_delay_minutes=delay, escalation_steps=steps)
    db.session.add(rota)
    for position, user in enumerate(people):
        rota.members.append(RotaMember(user_id=user.id, user=user, position=position))
    db.session.commit()
    return rota
