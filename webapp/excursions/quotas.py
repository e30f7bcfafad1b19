"""Excursion quotas (003:789-791): every élu at least one excursion per mandate; vice-présidents,
présidents and présidents de commission at least one every 6 months (``EXCURSION_RESPONSIBILITY_MONTHS``).

``compliance`` computes the state of every élu for the assemblies page; ``send_quota_reminders`` is the
worker's scan: it reminds élus falling behind once per period (a ``QuotaReminder`` row per period).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.accounts.roles import RESPONSIBILITIES, current_mandate, today
from webapp.excursions.models import Excursion, Participant, QuotaReminder
from webapp.extensions import db
from webapp.organisation.models import Elu, Mandate

SOON_DAYS = 30


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the end of shorter months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass
class QuotaRow:
    """One élu's quota state over a mandate."""

    user: object
    responsibilities: bool
    done: int
    last_done: date | None
    due: date | None
    status: str  # ok | soon | todo | behind
    period: str  # identifies the obligation a reminder is about


def settings() -> tuple[int, int]:
    config = current_app.config
    return int(config["EXCURSION_RESPONSIBILITY_MONTHS"]), int(config["EXCURSION_MANDATE_REMIND_MONTHS"])


def _done_days(mandate: Mandate) -> dict:
    """For each élu, the days of the done excursions they took part in during the mandate."""
    rows = db.session.execute(
        db.select(Participant.user_id, Excursion.starts_at).join(Excursion)
        .where(Excursion.status == "done")).all()
    days: dict = {}
    for user_id, starts_at in rows:
        day = starts_at.date()
        if mandate.covers(day):
            days.setdefault(user_id, []).append(day)
    return days


def compliance(mandate: Mandate | None = None, day: date | None = None) -> list[QuotaRow]:
    """Every élu of the mandate with their quota state on ``day`` (today by default), behind first."""
    mandate = mandate or current_mandate()
    if mandate is None:
        return []
    day = day or today()
    done = _done_days(mandate)
    terms = db.session.scalars(db.select(Elu).where(Elu.mandate_id == mandate.id)).all()
    rows = [_row(term, mandate, sorted(d for d in done.get(term.user_id, []) if d <= day), day)
            for term in terms if term.user.active]
    order = {"behind": 0, "soon": 1, "todo": 2, "ok": 3}
    return sorted(rows, key=lambda r: (order[r.status], r.user.name))


def _row(term: Elu, mandate: Mandate, days: list[date], day: date) -> QuotaRow:
    every, remind_before = settings()
    last = days[-1] if days else None
    if {f.kind for f in term.functions} & set(RESPONSIBILITIES):
        due = add_months(last or mandate.starts_on, every)
        status = "behind" if day > due else "soon" if day > due - timedelta(days=SOON_DAYS) else "ok"
        return QuotaRow(term.user, True, len(days), last, due, status, f"every:{mandate.id}:{due.isoformat()}")
    if days:
        return QuotaRow(term.user, False, len(days), last, None, "ok", f"mandate:{mandate.id}")
    behind = day >= add_months(mandate.ends_on, -remind_before)
    return QuotaRow(term.user, False, 0, None, mandate.ends_on, "behind" if behind else "todo",
                    f"mandate:{mandate.id}")


def send_quota_reminders(day: date | None = None) -> int:
    """Remind each élu falling behind, once per period; returns how many reminders were sent."""
    from webapp.push.service import notify

    sent = 0
    for row in compliance(day=day):
        if row.status != "behind" or _already_reminded(row):
            continue
        db.session.add(QuotaReminder(user_id=row.user.id, period=row.period))
        notify([row.user], kind="excursion.quota", title=_l("Excursion pratique à prévoir"),
               body=_reminder_body(row), url="/excursions")
        sent += 1
    db.session.flush()
    return sent


def _already_reminded(row: QuotaRow) -> bool:
    return db.session.scalar(db.select(QuotaReminder.id).where(
        QuotaReminder.user_id == row.user.id, QuotaReminder.period == row.period)) is not None


def _reminder_body(row: QuotaRow):
    if row.responsibilities:
        return _l("Votre fonction prévoit une excursion tous les six mois : la dernière date de plus de six mois.")
    return _l("Chaque élu·e fait au moins une excursion pratique pendant le mandat.")
