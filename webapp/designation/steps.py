"""The installation week acts by itself (issue 14 item 1): a worker scan (``tasks.run_week_steps``, every
five minutes) carries out each step whose time has come, and tells the people concerned (push and mail):

- forum: every élu is told the forum is open;
- organisation: published at that time if the coordination set no other time (it waits while there is
  no body, or for the time the coordination set), then every élu is told the wishes are open;
- reminder, 12 hours before the wishes close: the élus who have wished nothing are reminded;
- wishes closing: the wishes lock (``calendar.wishes_closed``); the solver's proposal is computed if
  the coordination has none yet, the coordination is told to arbitrate and the élus that it does;
- proposal: the final proposal is published as it stands if the coordination has not published it;
- plenary: the élus are told it sits, the assemblies service that it records the vote.

Once only, decided in the database: a ``WeekStepRun`` row (unique per mandate, step and time) is
inserted before acting, in a savepoint, so a second run or a second worker finds it and does nothing. A
step moved to a new time acts again then. A step found more than ``LATE`` after its time (a week set in
the past, a worker stopped for a day) is recorded as missed and does nothing: the coordination acts by
hand rather than have a proposal published days late.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.designation import assigning, calendar, notices, plenary
from webapp.designation.models import InstallationWeek, WeekStepRun, Wish
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.organisation.models import Elu

REMIND_BEFORE = timedelta(hours=12)
LATE = timedelta(hours=6)
OUTCOMES = {"told": _l("fait"), "published": _l("publiée par le calendrier"),
            "proposed": _l("répartition proposée par le solveur"), "already": _l("déjà fait à la main"),
            "missed": _l("manquée : à faire à la main"), "reminded": _l("rappel envoyé"),
            "none_late": _l("aucun élu sans vœu")}
REMINDER_LABEL = _l("Rappel aux élus sans vœu")


def schedule(row: InstallationWeek) -> dict[str, datetime]:
    """Every step's time, the reminder included (never before the organisation is published)."""
    times = {key: getattr(row, key) for key in calendar.STEPS}
    reminder = max(row.wishes_close_at - REMIND_BEFORE, row.organisation_at)
    ordered = {}
    for key, at in times.items():
        if key == "wishes_close_at":
            ordered["wishes_reminder"] = reminder
        ordered[key] = at
    return ordered


def _effective(mandate, step: str, at: datetime) -> datetime:
    """The organisation step follows the publication time the coordination set, if any."""
    if step == "organisation_at":
        pub = organisation.publication(mandate)
        return pub.publish_at if pub is not None else at
    return at


def _elus(mandate) -> list[User]:
    return [t.user for t in db.session.scalars(db.select(Elu).where(Elu.mandate_id == mandate.id))]


def _forum(mandate, now):
    return "told", notices.tell(_elus(mandate), kind="designation.week", url="/forum/",
                                title=_l("Le forum des politiques publiques est ouvert"),
                                body=_l("Complétez votre profil d’élu et posez vos questions aux services."))


def _ready(mandate, step: str, now: datetime) -> bool:
    """The organisation waits while there is no body, or for the time the coordination set; the reminder
    waits for the organisation."""
    if step == "organisation_at":
        pub = organisation.publication(mandate)
        return pub.publish_at <= now if pub is not None else bool(organisation.bodies(mandate))
    if step == "wishes_reminder":
        return organisation.is_published(mandate, now)
    return True


def _organisation(mandate, now):
    outcome = "told"
    if organisation.publication(mandate) is None:
        organisation.publish_by_calendar(mandate, calendar.week(mandate).organisation_at)
        outcome = "published"
    return outcome, notices.tell(_elus(mandate), kind="designation.week", url="/designation/wishes",
                                 title=_l("L’organisation est publiée : exprimez vos vœux"),
                                 body=_l("Choisissez, classez et justifiez les postes souhaités avant la "
                                         "clôture des vœux."))


def _reminder(mandate, now):
    wished = set(db.session.scalars(db.select(Wish.elu_id).join(Elu).where(Elu.mandate_id == mandate.id)))
    late = [t.user for t in db.session.scalars(db.select(Elu).where(Elu.mandate_id == mandate.id))
            if t.id not in wished]
    if not late:
        return "none_late", 0
    return "reminded", notices.tell(late, kind="designation.reminder", url="/designation/wishes",
                                    title=_l("Vos vœux de désignation sont attendus"),
                                    body=_l("Les vœux se closent dans moins de 12 heures."))


def _close(mandate, now):
    outcome = "told"
    if assigning.proposal(mandate) is None and not assigning.assignments(mandate):
        assigning.replace_by_solver(None, mandate)
        outcome = "proposed"
    coordination = [c.user for c in organisation.coordinators(mandate)]
    told = notices.tell(coordination, kind="designation.week", url="/designation/arbitration",
                        title=_l("Les vœux sont clos : à vous d’arbitrer"),
                        body=_l("Une répartition est proposée ; ajustez-la puis publiez la proposition finale."))
    others = [u for u in _elus(mandate) if u.id not in {c.id for c in coordination}]
    told += notices.tell(others, kind="designation.week", url="/designation/calendar",
                         title=_l("Les vœux sont clos"),
                         body=_l("La coordination arbitre ; la proposition finale suit."))
    return outcome, told


def _proposal(mandate, now):
    if assigning.proposal(mandate) is not None:
        return "already", 0
    assigning.publish_now(None, mandate)
    return "published", len(_elus(mandate))


def _plenary(mandate, now):
    if plenary.adopted(mandate) is not None:
        return "already", 0
    told = notices.tell(_elus(mandate), kind="designation.week", url="/designation/mine",
                        title=_l("L’assemblée plénière d’installation siège"),
                        body=_l("La répartition des postes y est soumise au vote."))
    clerks = organisation.assemblies_people()
    return "told", told + notices.tell(clerks, kind="designation.week", url="/designation/plenary",
                                       title=_l("Plénière d’installation : enregistrez le vote"),
                                       body=_l("Le vote sur la répartition des postes s’enregistre dans Tandem."))


ACTIONS = {"forum_at": _forum, "organisation_at": _organisation, "wishes_reminder": _reminder,
           "wishes_close_at": _close, "proposal_at": _proposal, "plenary_at": _plenary}


def runs(mandate) -> list[WeekStepRun]:
    return db.session.scalars(db.select(WeekStepRun).where(WeekStepRun.mandate_id == mandate.id)
                              .order_by(WeekStepRun.ran_at)).all()


def _claim(mandate, step: str, due_at: datetime, now: datetime) -> WeekStepRun | None:
    """Insert the step's row in a savepoint: None when another run inserted it first. Claims are made
    before any notification of the run (a savepoint's release counts as a commit for the notifications'
    delivery, which must wait for the real one)."""
    savepoint = db.session.begin_nested()
    run = WeekStepRun(mandate_id=mandate.id, step=step, due_at=due_at, ran_at=now, outcome="")
    db.session.add(run)
    try:
        db.session.flush()
    except IntegrityError:
        savepoint.rollback()
        return None
    savepoint.commit()
    return run


def run_due(now: datetime | None = None) -> int:
    """Carry out the steps of the current mandate's week whose time has come; how many acted."""
    now = now or utcnow()
    mandate = organisation.organisation_mandate()
    row = calendar.week(mandate) if mandate is not None else None
    if row is None or plenary.adopted(mandate) is not None:
        return 0
    done = {(r.step, r.due_at) for r in runs(mandate)}
    due = [(step, due_at) for step, at in schedule(row).items()
           if (due_at := _effective(mandate, step, at)) <= now and (step, due_at) not in done
           and _ready(mandate, step, now)]
    claimed = [(step, due_at, run) for step, due_at in due if (run := _claim(mandate, step, due_at, now))]
    for step, due_at, run in claimed:
        run.outcome, run.notified = ("missed", 0) if now - due_at > LATE else ACTIONS[step](mandate, now)
    db.session.flush()
    return len(claimed)


def states(mandate) -> dict[str, str]:
    """What each step did, for the calendar (the latest run of each step)."""
    return {r.step: str(OUTCOMES.get(r.outcome, r.outcome)) for r in runs(mandate)}


def shown(mandate) -> list[dict]:
    """The calendar as the page lists it: the editable steps and the reminder, each with what it did."""
    row = calendar.week(mandate)
    if row is None:
        return []
    done = states(mandate)
    labels = {key: label for key, (_d, _t, label) in calendar.STEPS.items()} | {"wishes_reminder": REMINDER_LABEL}
    now = utcnow()
    return [{"key": key, "label": labels[key], "at": at, "past": at <= now, "done": done.get(key, "")}
            for key, at in schedule(row).items()]
