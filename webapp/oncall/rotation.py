"""Who is on call when: computed from the rota, the absences and the overrides, never stored per shift.

A rota's turns hand over at ``handover_minute`` (Paris wall time) every day or every week from
``starts_on``; turn ``k`` goes to member ``k mod n``. A member away at that moment is skipped for the next
one in order who is not; an override (set by hand or by an accepted swap) covering the moment wins over
both, the latest one first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from webapp.accounts.models import User
from webapp.core.clock import PARIS, to_paris
from webapp.extensions import db
from webapp.oncall.models import Absence, Override, Rota

PERIOD_DAYS = {"weekly": 7, "daily": 1}


def _at_paris(day: date, minute: int) -> datetime:
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=PARIS)
    return local.astimezone(UTC)


def turn_index(rota: Rota, at: datetime) -> int:
    """The number of the turn running at ``at`` (0 from ``starts_on``'s hand-over; negative before)."""
    local = to_paris(at)
    days = (local.date() - rota.starts_on).days
    if local.hour * 60 + local.minute < rota.handover_minute:
        days -= 1
    return days // PERIOD_DAYS[rota.rotation]


def turn_bounds(rota: Rota, index: int) -> tuple[datetime, datetime]:
    """When turn ``index`` starts and ends (UTC), hand-over to hand-over in Paris time."""
    period = PERIOD_DAYS[rota.rotation]
    first = rota.starts_on + timedelta(days=index * period)
    return _at_paris(first, rota.handover_minute), _at_paris(first + timedelta(days=period), rota.handover_minute)


@dataclass(frozen=True)
class Shift:
    """A stretch of time with one person on call; ``override`` names the override behind it, if any."""

    starts_at: datetime
    ends_at: datetime
    user: User
    override: Override | None = None

    @property
    def swapped(self) -> bool:
        return self.override is not None and self.override.swap_id is not None


class RotaState:
    """A rota with the absences and overrides of a window, read once, answering for any moment in it."""

    def __init__(self, rota: Rota, absences: list[Absence], overrides: list[Override]):
        self.rota = rota
        self.members = [m.user for m in rota.members]
        self.absences = absences
        # The latest override first: it wins over older ones for the same moment.
        self.overrides = sorted(overrides, key=lambda o: o.created_at, reverse=True)

    @classmethod
    def load(cls, rota: Rota, since: datetime, until: datetime) -> RotaState:
        user_ids = [m.user_id for m in rota.members]
        first, last = to_paris(since).date(), to_paris(until).date()
        absences = db.session.scalars(db.select(Absence).where(
            Absence.user_id.in_(user_ids), Absence.starts_on <= last, Absence.ends_on >= first)).all() \
            if user_ids else []
        overrides = db.session.scalars(db.select(Override).where(
            Override.rota_id == rota.id, Override.starts_at <= until, Override.ends_at > since)).all()
        return cls(rota, list(absences), list(overrides))

    def away(self, user: User, at: datetime) -> bool:
        day = to_paris(at).date()
        return any(a.user_id == user.id and a.starts_on <= day <= a.ends_on for a in self.absences)

    def override_at(self, at: datetime) -> Override | None:
        return next((o for o in self.overrides if o.starts_at <= at < o.ends_at), None)

    def in_turn(self, at: datetime) -> User | None:
        """The member whose turn it is at ``at``, past those away; None when everyone is away."""
        if not self.members:
            return None
        start = turn_index(self.rota, at) % len(self.members)
        for offset in range(len(self.members)):
            user = self.members[(start + offset) % len(self.members)]
            if not self.away(user, at):
                return user
        return None

    def on_call(self, at: datetime) -> User | None:
        override = self.override_at(at)
        return override.user if override is not None else self.in_turn(at)

    def chain(self, at: datetime) -> list[User]:
        """Who is paged in turn for an urgent note at ``at``: the person on call, then the members after
        them in the rota's order (those away left out)."""
        first = self.on_call(at)
        if not self.members:
            return [first] if first else []
        ids = [u.id for u in self.members]
        anchor = first if first is not None and first.id in ids else self.in_turn(at)
        start = ids.index(anchor.id) + 1 if anchor is not None else 0
        ordered = [self.members[(start + i) % len(self.members)] for i in range(len(self.members))]
        rest = [u for u in ordered if (first is None or u.id != first.id) and not self.away(u, at)]
        return ([first] if first else []) + rest

    def shifts(self, since: datetime, until: datetime) -> list[Shift]:
        """The stretches of ``[since, until)`` with who is on call, cut at hand-overs, absences and
        overrides, and joined when the same person simply goes on."""
        points = {since, until}
        index = turn_index(self.rota, since)
        while True:
            index += 1
            start, _end = turn_bounds(self.rota, index)
            if start >= until:
                break
            points.add(start)
        for absence in self.absences:
            points.update((_at_paris(absence.starts_on, 0), _at_paris(absence.ends_on + timedelta(days=1), 0)))
        for override in self.overrides:
            points.update((override.starts_at, override.ends_at))
        cuts = sorted(p for p in points if since <= p <= until)
        result: list[Shift] = []
        for begin, end in pairwise(cuts):
            override = self.override_at(begin)
            user = override.user if override is not None else self.in_turn(begin)
            if user is None:
                continue
            last = result[-1] if result else None
            same_turn = last is not None and turn_index(self.rota, begin) == turn_index(self.rota, last.starts_at)
            joined = (last is not None and last.ends_at == begin and last.user.id == user.id
                      and last.override is override and (override is not None or same_turn))
            if joined:
                result[-1] = Shift(last.starts_at, end, user, override)
            else:
                result.append(Shift(begin, end, user, override))
        return result


def who_is_on_call(rota: Rota, at: datetime) -> User | None:
    """The person on call for ``rota`` at ``at``."""
    return RotaState.load(rota, at, at + timedelta(seconds=1)).on_call(at)


def upcoming(rota: Rota, now: datetime, turns: int = 4) -> list[Shift]:
    """This turn and the next ones (weekly: four weeks; daily: two weeks), from the current turn's start."""
    index = turn_index(rota, now)
    count = turns if rota.rotation == "weekly" else turns * 7 // 2
    since, _end = turn_bounds(rota, index)
    _start, until = turn_bounds(rota, index + count - 1)
    return RotaState.load(rota, since, until).shifts(since, until)
