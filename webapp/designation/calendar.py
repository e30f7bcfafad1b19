"""The installation week (issue 14 item 1; 003:563-612): from the election date (a Sunday), the forum
opens Monday, the organisation is published Tuesday noon, the wishes close Wednesday 8:00, the final
proposal reaches everyone Wednesday 20:00 and the plenary sits Thursday. Computed once, then each date
is editable by the coordination or the assemblies service.

The wishes lock themselves at their closing time: ``service`` asks ``wishes_closed`` on each change
(no worker needed, as for the organisation's publication).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

from flask_babel import lazy_gettext as _l

from webapp.core import audit
from webapp.core.clock import PARIS, utcnow
from webapp.core.errors import DomainError
from webapp.designation.models import InstallationWeek
from webapp.extensions import db
from webapp.organisation import policy as organisation_policy

# step -> (days after the next Monday, Paris time of day, label)
STEPS = {
    "forum_at": (0, time(9), _l("Ouverture du forum des élus")),
    "organisation_at": (1, time(12), _l("Publication de l’organisation")),
    "wishes_close_at": (2, time(8), _l("Clôture des vœux")),
    "proposal_at": (2, time(20), _l("Proposition finale à tous")),
    "plenary_at": (3, time(10), _l("Assemblée plénière")),
}


def computed(election_on: date) -> dict[str, datetime]:
    """Each step's time (Paris) for an election on ``election_on``: the week starts the next Monday."""
    monday = election_on + timedelta(days=7 - election_on.weekday())
    return {key: datetime.combine(monday + timedelta(days=days), at, tzinfo=PARIS)
            for key, (days, at, _label) in STEPS.items()}


def week(mandate) -> InstallationWeek | None:
    return db.session.scalar(db.select(InstallationWeek).where(InstallationWeek.mandate_id == mandate.id))


def _require(actor, mandate) -> None:
    if not organisation_policy.can_draft(actor, mandate):
        raise DomainError(str(_l("Action réservée à la coordination et au service des assemblées.")), status=403)


def _state(row: InstallationWeek) -> dict:
    return {"election_on": row.election_on.isoformat(), **{k: getattr(row, k).isoformat() for k in STEPS}}


def set_election(actor, mandate, election_on: date) -> InstallationWeek:
    """(Re)compute every date from the election date."""
    _require(actor, mandate)
    row = week(mandate)
    before = _state(row) if row else None
    if row is None:
        row = InstallationWeek(mandate_id=mandate.id)
        db.session.add(row)
    row.election_on = election_on
    for key, at in computed(election_on).items():
        setattr(row, key, at)
    db.session.flush()
    audit.record(actor, "designation.week_computed", row, before, _state(row))
    return row


def edit(actor, mandate, changes: dict[str, datetime]) -> InstallationWeek:
    """Move some steps; naive times are Paris time, as a form gives them. The order must hold."""
    _require(actor, mandate)
    row = week(mandate)
    if row is None:
        raise DomainError(str(_l("Indiquez d’abord la date de l’élection.")), status=409)
    before = _state(row)
    for key, at in changes.items():
        if key in STEPS and at is not None:
            setattr(row, key, at.replace(tzinfo=PARIS) if at.tzinfo is None else at)
    times = [getattr(row, key) for key in STEPS]
    if any(a > b for a, b in pairwise(times)):
        raise DomainError(str(_l("Les étapes doivent rester dans l’ordre de la semaine.")), status=422)
    db.session.flush()
    audit.record(actor, "designation.week_edited", row, before, _state(row))
    return row


def wishes_closed(mandate, now: datetime | None = None) -> bool:
    row = week(mandate)
    return row is not None and (now or utcnow()) >= row.wishes_close_at


def steps(mandate) -> list[dict]:
    """The calendar as shown: each step with its label, time and whether it has passed."""
    row = week(mandate)
    if row is None:
        return []
    now = utcnow()
    return [{"key": key, "label": label, "at": getattr(row, key), "past": getattr(row, key) <= now}
            for key, (_d, _t, label) in STEPS.items()]
