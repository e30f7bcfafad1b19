"""The installation week acts by itself: at each step's time the worker's scan publishes, reminds, closes
and proposes, publishes the proposal and calls the plenary, telling people by notification and mail;
each step once (decided by a unique row), a step found days late does nothing, and the calendar shows
what each step did."""

import email
import email.policy
from datetime import date, timedelta
from pathlib import Path

from tests.designation.helpers import published_organisation
from tests.forum.helpers import new_elu
from webapp.core.clock import utcnow
from webapp.designation import assigning, calendar, service, steps
from webapp.designation.models import WeekStepRun
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.push.models import Notification


def _titles(user) -> list[str]:
    return list(db.session.scalars(db.select(Notification.title).where(Notification.user_id == user.id)
                                   .order_by(Notification.created_at)))


def _mails_to(app, user) -> list[str]:
    folder = Path(app.instance_path) / "mail"
    found = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
             for p in sorted(folder.glob("*.eml"))] if folder.exists() else []
    return [m["Subject"] for m in found if m["To"] == user.email]


def _week(make, base):
    """A mandate whose organisation is drafted but not scheduled, and a week around ``base``: the forum
    opened 6 hours ago, the organisation is due 5 hours ago, the wishes close in 13 hours."""
    mandate, clerk, posts = published_organisation(make, publish=False)
    coordinator, _ = new_elu(make, mandate, "Chloé Cercle")
    organisation.grant_coordination(clerk, mandate, coordinator)
    keen, keen_term = new_elu(make, mandate, "Élu Empressé")
    late, _ = new_elu(make, mandate, "Élue Tardive")
    row = calendar.set_election(clerk, mandate, date(2028, 3, 26))
    row.forum_at, row.organisation_at = base - timedelta(hours=5, minutes=30), base - timedelta(hours=5)
    row.wishes_close_at, row.proposal_at = base + timedelta(hours=13), base + timedelta(hours=14)
    row.plenary_at = base + timedelta(hours=15)
    db.session.commit()
    return mandate, clerk, coordinator, keen, keen_term, late, posts


def test_each_step_acts_once_at_its_time_and_tells_people(app, make, client):
    base = utcnow()
    mandate, clerk, coordinator, keen, keen_term, late, posts = _week(make, base)

    assert steps.run_due(base) == 2  # forum and organisation
    db.session.commit()
    assert organisation.is_published(mandate)  # published at the calendar's time: nobody had set one
    assert _titles(late) == ["Le forum des politiques publiques est ouvert",
                             "L’organisation est publiée : exprimez vos vœux"]
    assert "Tandem : L’organisation est publiée : exprimez vos vœux" in _mails_to(app, late)
    assert steps.run_due(base) == 0  # a second run repeats nothing
    db.session.commit()
    assert len(_titles(late)) == 2

    service.add_wish(keen, keen_term, posts["routes"], "Routes d’hiver de mon canton.")
    db.session.commit()
    assert steps.run_due(base + timedelta(hours=1, minutes=1)) == 1  # 12 hours before the wishes close
    db.session.commit()
    assert _titles(late)[-1] == "Vos vœux de désignation sont attendus"
    assert "Vos vœux de désignation sont attendus" not in _titles(keen)  # he has wished

    assert steps.run_due(base + timedelta(hours=13, minutes=2)) == 1
    db.session.commit()
    assert {(a.elu_id, a.post_id) for a in assigning.assignments(mandate)} == {(keen_term.id, posts["routes"].id)}
    assert _titles(coordinator)[-1] == "Les vœux sont clos : à vous d’arbitrer"
    assert _titles(late)[-1] == "Les vœux sont clos"

    assert steps.run_due(base + timedelta(hours=14, minutes=3)) == 1
    db.session.commit()
    assert assigning.proposal(mandate) is not None
    assert _titles(keen)[-1] == "La proposition de répartition des postes est publiée"

    assert steps.run_due(base + timedelta(hours=15, minutes=4)) == 1
    db.session.commit()
    assert _titles(clerk)[-1] == "Plénière d’installation : enregistrez le vote"
    assert steps.run_due(base + timedelta(hours=16)) == 0

    client.login(late)
    page = client.get("/designation/calendar").get_data(as_text=True)
    assert "publiée par le calendrier" in page and "répartition proposée par le solveur" in page
    assert "Rappel aux élus sans vœu" in page and "rappel envoyé" in page


def test_the_organisation_step_waits_for_the_time_the_coordination_set(make):
    base = utcnow()
    mandate, clerk, _c, _k, _kt, late, _posts = _week(make, base)
    organisation.schedule_publication(clerk, mandate, base + timedelta(hours=2))
    db.session.commit()
    assert steps.run_due(base) == 1  # the forum only
    db.session.commit()
    # Published at 2 hours, later than the reminder's time: both follow now.
    assert steps.run_due(base + timedelta(hours=2, minutes=1)) == 2
    db.session.commit()
    assert _titles(late)[-2:] == ["L’organisation est publiée : exprimez vos vœux",
                                  "Vos vœux de désignation sont attendus"]


def test_the_coordination_s_own_proposal_is_not_replaced(make):
    base = utcnow()
    mandate, _clerk, coordinator, keen, keen_term, _late, posts = _week(make, base)
    steps.run_due(base)
    service.add_wish(keen, keen_term, posts["routes"], "Routes d’hiver.")
    assigning.assign(coordinator, keen_term, posts["cp"])  # by hand, before the closing
    assigning.publish(coordinator, mandate)
    db.session.commit()
    steps.run_due(base + timedelta(hours=14, minutes=1))
    db.session.commit()
    assert [(a.post_id, a.source) for a in assigning.assignments(mandate)] == [(posts["cp"].id, "hand")]
    assert steps.states(mandate)["proposal_at"] == "déjà fait à la main"


def test_a_step_found_days_late_does_nothing_and_a_claimed_step_is_not_redone(make):
    base = utcnow() + timedelta(days=3)  # the whole week is 3 days in the past
    mandate, _clerk, _c, _k, _kt, late, _posts = _week(make, base - timedelta(days=6))
    assert steps.run_due(utcnow()) == 5  # the reminder waits for a publication that never came
    db.session.commit()
    assert set(steps.states(mandate).values()) == {"manquée : à faire à la main"}
    assert _titles(late) == [] and not organisation.is_published(mandate)

    row = calendar.week(mandate)
    row.forum_at = utcnow() - timedelta(minutes=1)  # moved: it acts again at its new time
    db.session.commit()
    # Another worker claimed it first: the unique row decides, this run does nothing.
    db.session.add(WeekStepRun(mandate_id=mandate.id, step="forum_at", due_at=row.forum_at, outcome="told"))
    db.session.commit()
    assert steps._claim(mandate, "forum_at", row.forum_at, utcnow()) is None
    db.session.commit()
    assert _titles(late) == []
