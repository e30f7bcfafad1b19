"""The six-month review of a pair (the anti-manuel's service × one élu référent), computed from Tandem's
history for the period, and the parameter changes it proposes where figures and rules disagree.

Definitions (the review's test recomputes them independently from the same rows):

* a note belongs to the pair when the service (or, for a direction's anti-manuel, one of its services)
  sent it to the élu within the period (``sent_at`` in [start, end));
* response time: from sending to the first decision, opinion or delegation (``answered_at``), in days;
* judged: answered, or past its deadline at ``now``; on time: answered no later than its deadline;
  overdue: judged and not on time;
* time to acknowledge: from sending to the élu's accusé de réception, in hours;
* outside working hours: answered on a Saturday or Sunday, or before 8:00 or from 19:00, Paris time.

Counts (delegations, renegotiations, questions back) are grouped by the database; medians have no
portable SQL form and are computed here from one narrow row per note.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from webapp.cooperation import service
from webapp.cooperation.models import Charter, Review
from webapp.core.clock import to_paris, utcnow
from webapp.excursions.pairs import pair_excursions
from webapp.extensions import db
from webapp.notes.pairs import history_counts, pair_counts, pair_rows

WORKDAY = (8, 19)
ONCALL_ACTIONS = ("oncall_paged", "oncall_escalated")
MIN_NOTES = 3  # fewer answered notes of a type: no proposal, the figures say too little


def outside_working_hours(moment: datetime) -> bool:
    local = to_paris(moment)
    return local.weekday() >= 5 or not WORKDAY[0] <= local.hour < WORKDAY[1]


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


@dataclass
class TypeFigures:
    """The figures of one situation type (or of all notes: ``type_id`` None with ``total``)."""

    type_id: object
    label: str
    agreed_days: int | None = None
    notes: int = 0
    answer_days: list = field(default_factory=list)
    ack_hours: list = field(default_factory=list)
    judged: int = 0
    on_time: int = 0
    outside_hours: int = 0
    delegations: int = 0
    renegotiations: int = 0
    questions: int = 0
    paged: int = 0
    escalated: int = 0

    @property
    def answered(self) -> int:
        return len(self.answer_days)

    @property
    def median_days(self) -> float | None:
        return _median(self.answer_days)

    @property
    def median_ack_hours(self) -> float | None:
        return _median(self.ack_hours)

    @property
    def on_time_share(self) -> float | None:
        return round(self.on_time / self.judged, 2) if self.judged else None

    @property
    def overdue(self) -> int:
        return self.judged - self.on_time

    def add(self, other: TypeFigures) -> None:
        for name in ("notes", "judged", "on_time", "outside_hours", "delegations", "renegotiations", "questions",
                     "paged", "escalated"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.answer_days += other.answer_days
        self.ack_hours += other.ack_hours


def unit_ids(charter: Charter) -> list:
    """The services whose notes the anti-manuel covers: its unit, and a direction's services."""
    return [charter.unit_id] + [c.id for c in charter.unit.children]


def figures(review: Review, now: datetime | None = None) -> dict:
    """Every figure of the review, per situation type and in total, with the excursions."""
    now = now or utcnow()
    charter, units = review.charter, unit_ids(review.charter)
    start, end = review.period_start, review.period_end
    version = service.agreed_version(charter)
    rules = {r.situation_type_id: r for r in version.rules} if version else {}
    kinds = service.catalogue()
    per_type: dict = {}  # by situation type id
    # The drivers name a type by its UUID, its hex text (SQLite) or its text (see notes.pairs.type_key).
    by_key = {form: kind for kind in kinds for form in (kind.id, kind.id.hex, str(kind.id))}
    by_raw: dict = {}

    def of(raw) -> TypeFigures:
        item = by_raw.get(raw)
        if item is None:
            kind = by_key.get(raw)
            type_id = kind.id if kind is not None else None
            if type_id not in per_type:
                rule = rules.get(type_id)
                label = service.type_label(kind) if kind is not None else _("Sans type de situation")
                per_type[type_id] = TypeFigures(type_id, label, rule.deadline_days if rule else None)
            item = by_raw[raw] = per_type[type_id]
        return item

    for key, answer_days, ack_hours, answered_at, judged, on_time in pair_rows(units, review.elu_id, start, end, now):
        item = of(key)
        item.notes += 1
        if answer_days is not None:
            item.answer_days.append(answer_days)
            item.outside_hours += outside_working_hours(answered_at)
        if ack_hours is not None:
            item.ack_hours.append(ack_hours)
        item.judged += bool(judged)
        item.on_time += bool(on_time)
    for name, counted in pair_counts(units, review.elu_id, start, end).items():
        for key, count in counted.items():
            setattr(of(key), name, count)
    pages = history_counts(units, review.elu_id, start, end, ONCALL_ACTIONS)
    for action, name in zip(ONCALL_ACTIONS, ("paged", "escalated"), strict=True):
        for key, count in pages[action].items():
            setattr(of(key), name, count)
    order = {t.id: (t.position, t.label) for t in kinds}
    types = sorted(per_type.values(), key=lambda f: order.get(f.type_id, (10_000, f.label)))
    total = TypeFigures(None, _("Toutes les notes"))
    for item in types:
        total.add(item)
    excursions = pair_excursions(units, review.elu_id, start, end)
    return {"types": types, "total": total, "excursions": excursions,
            "bilans": sum(1 for e in excursions if e["bilan"]), "rules": rules}


def proposals(figures_: dict) -> list[dict]:
    """Parameter changes where the figures and the rules disagree, each with its reason in words.

    * answered much faster than agreed (median at most half the agreed days): shorten to the day by
      which three notes in four were answered;
    * often late (under 70 % on time) or often renegotiated (over a quarter of the notes): lengthen to
      that same day, or by half when it is not later;
    * notes of a type the anti-manuel has no rule for: add one.
    """
    found = []
    for item in figures_["types"]:
        if item.type_id is None or item.answered < MIN_NOTES:
            continue
        p75 = max(1, math.ceil(_quantile(item.answer_days, 0.75)))
        rule = figures_["rules"].get(item.type_id)
        if rule is None:
            found.append(_proposal(item, None, p75, _("%(n)d notes de ce type sans règle : en ajouter une.",
                                                      n=item.notes)))
            continue
        agreed = rule.deadline_days
        if agreed >= 2 and item.median_days <= agreed / 2 and p75 < agreed:
            found.append(_proposal(item, agreed, p75, _(
                "Réponse en %(m)s jours (médiane) pour %(a)d convenus : raccourcir.",
                m=_days(item.median_days), a=agreed)))
        elif (item.on_time_share is not None and item.on_time_share < 0.7) or \
                item.renegotiations > item.notes / 4:
            longer = p75 if p75 > agreed else agreed + max(1, math.ceil(agreed / 2))
            found.append(_proposal(item, agreed, longer, _(
                "%(s)d %% à l’heure et %(r)d renégociations pour %(n)d notes : allonger.",
                s=round(100 * (item.on_time_share or 0)), r=item.renegotiations, n=item.notes)))
    return found


def _days(value: float) -> str:
    return f"{value:.1f}".replace(".", ",").replace(",0", "")


def _proposal(item: TypeFigures, before: int | None, after: int, reason: str) -> dict:
    return {"type_id": item.type_id, "label": item.label, "field": "deadline_days", "before": before,
            "after": after, "reason": reason}


# --- the review's life ----------------------------------------------------------------------------

def reviews_of(charter: Charter) -> list[Review]:
    return list(db.session.scalars(db.select(Review).where(Review.charter_id == charter.id)
                                   .order_by(Review.period_start.desc())).all())


def get_review(review_id) -> Review | None:
    return db.session.get(Review, review_id)
