"""Issue 15's first "done when", at phone size in separate browser contexts: a service and its VPs have an
agreed anti-manuel with three situation types; the head of service sets the on-call rota; an agent's new
note of type "Décision urgente" gets the rule's deadline and goes to the élu on call this week, escalates
to the next after the delay when unacknowledged (the escalation task driven with a moved clock); a swap is
asked and accepted; the ``.ics`` feed lists the swapped shifts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import icalendar
import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.oncall.helpers import crew
from tests.oncall.test_api_feed import this_monday
from tests.oncall.test_routing import agreed
from tests.support.browser import axe_violations, sign_in
from webapp.core.clock import to_paris, utcnow
from webapp.extensions import db
from webapp.jobs import huey
from webapp.oncall import tasks
from webapp.oncall.models import Page

pytestmark = pytest.mark.browser


def _escalation_of(page: Page):
    return next(t for t in huey.scheduled() if t.name.endswith("escalate") and t.args == (str(page.id),))


def _run_escalation(page: Page, minutes: int) -> str:
    """What the worker does after the delay: the scheduled task, run with the clock moved past it."""
    task = _escalation_of(page)
    return tasks.escalate.call_local(*task.args, (page.paged_at + timedelta(minutes=minutes)).isoformat())


def _feed_events(person) -> list[tuple[str, object]]:
    person.goto("/oncall/")
    person.get_by_role("button", name="Créer mon lien d’agenda").click()
    link = person.get_by_label("Lien secret de l’agenda").input_value()
    body = person.request.get(link).body()
    return [(str(e["summary"]), e.decoded("dtstart")) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def test_urgent_note_to_the_elu_on_call_escalation_swap_and_feed(phone, make):
    c = crew(make)
    anne, bruno, chloe = c.elus
    agreed(c, {"decision_urgente": {}, "information": {}, "decision_courante": {}})
    monday = this_monday()

    # The head of service sets the rota: Anne this week, then Bruno, then Chloé; 15 minutes, 2 steps.
    head = phone()
    sign_in(head, c.head, PASSWORD)
    head.goto("/oncall/")
    head.get_by_role("link", name="Nouvelle rotation").click()
    head.get_by_label("Nom", exact=True).fill("Astreinte des élus des routes")
    head.get_by_label("Chaque semaine").check()
    head.get_by_label("Premier tour le").fill(monday.isoformat())
    head.get_by_label("Heure de relève (heure de Paris)").fill("00:00")
    head.get_by_label("passer à la personne suivante après (minutes)").fill("15")
    head.get_by_label("Nombre de personnes suivantes prévenues au plus").fill("2")
    for turn, person in enumerate((anne, bruno, chloe), start=1):
        head.get_by_label(f"Tour {turn}", exact=True).select_option(label=person.name)
    assert axe_violations(head) == []
    head.get_by_role("button", name="Enregistrer la rotation").click()
    expect(head.locator("#on-call-now")).to_have_text("Anne Premier")
    rota_url = head.url

    # The agent writes an urgent decision: the anti-manuel's rule gives its deadline (one day).
    agent = phone()
    sign_in(agent, c.agent, PASSWORD)
    agent.goto("/notes/new")
    agent.get_by_label("Titre").fill("Éboulement sur la RD 8")
    agent.get_by_label("Texte de la note").fill("La route est coupée au col ; faut-il fermer la déviation ?")
    agent.get_by_label("Anne Premier").check()
    agent.get_by_label("Type de situation (anti-manuel du service)").select_option(label="Décision urgente")
    tomorrow = (to_paris(utcnow()) + timedelta(days=1)).date().isoformat()
    expect(agent.get_by_label("Réponse attendue au plus tard le")).to_have_value(tomorrow)
    expect(agent.locator("#situation-rule")).to_contain_text("1 jours")
    agent.get_by_role("button", name="Soumettre à mon encadrant·e").click()
    expect(agent.locator("#note-status")).to_have_text("Chez votre encadrant·e")
    note_url = agent.url

    head.goto(note_url)
    head.get_by_role("button", name="Convenir du délai").click()
    head.get_by_role("button", name="Convenir et transmettre").click()
    expect(head.locator("#note-pending")).to_contain_text("Envoyé")

    # It goes to the élu on call this week, by push (no content), and is in the note's history.
    on_call = phone()
    sign_in(on_call, anne, PASSWORD)
    on_call.goto("/notifications")
    expect(on_call.get_by_role("link", name="Astreinte : note urgente")).to_be_visible()
    agent.goto(note_url)
    agent.get_by_text("Historique").click()
    expect(agent.locator(".timeline")).to_contain_text("Astreinte : transmise à la personne de garde (Anne Premier)")
    note_id = uuid.UUID(note_url.rstrip("/").rsplit("/", 1)[1])
    first = db.session.scalar(db.select(Page).where(Page.note_id == note_id, Page.step == 0))
    assert to_paris(first.paged_at).date() == to_paris(utcnow()).date()

    # Anne does not open it: after the delay it goes to Bruno, who opens it from his notification.
    assert _run_escalation(first, 16) == "escalated"
    nextone = phone()
    sign_in(nextone, bruno, PASSWORD)
    nextone.goto("/notifications")
    nextone.get_by_role("link", name="Astreinte : note urgente sans réponse").click()
    expect(nextone.get_by_role("heading", name="Éboulement sur la RD 8")).to_be_visible()
    agent.reload()
    agent.get_by_text("Historique").click()
    expect(agent.locator(".timeline")).to_contain_text(
        "Astreinte : sans accusé de réception, transmise à la personne suivante (Bruno Second)")
    # Bruno's accusé de réception stops the escalation: Chloé is never paged.
    db.session.expire_all()
    second = db.session.scalar(db.select(Page).where(Page.note_id == note_id, Page.step == 1))
    assert _run_escalation(second, 16) == "acknowledged"
    paged = db.session.scalars(db.select(Page).where(Page.note_id == note_id).order_by(Page.step)).all()
    assert [p.user.name for p in paged] == ["Anne Premier", "Bruno Second"]

    # Anne asks Bruno to swap this week; Bruno accepts.
    on_call.goto(rota_url)
    on_call.get_by_label("Avec").select_option(label="Bruno Second")
    on_call.get_by_role("button", name="Je demande un échange").click()
    expect(on_call.locator(".flashes")).to_contain_text("Demande d’échange envoyée")
    nextone.goto(rota_url)
    expect(nextone.locator("[data-swap]")).to_contain_text("Anne Premier vous demande de prendre son tour")
    assert axe_violations(nextone) == []
    nextone.get_by_role("button", name="J’accepte l’échange").click()
    expect(nextone.locator("#on-call-now")).to_have_text("Bruno Second")

    # The feeds list the swapped shifts: Bruno has this week, Anne the next one.
    this_week = to_paris(utcnow()).replace(year=monday.year, month=monday.month, day=monday.day, hour=0, minute=0,
                                           second=0, microsecond=0)
    swapped = "Astreinte : Astreinte des élus des routes (échange)"
    assert (swapped, this_week) in _feed_events(nextone)
    anne_events = _feed_events(on_call)
    assert (swapped, this_week + timedelta(days=7)) in anne_events
    assert all(start != this_week for _title, start in anne_events)
