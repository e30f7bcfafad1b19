"""Urgent notes: paged to the person on call, escalated to the next after the delay when nobody
acknowledges, stopped by an acknowledgement, limited to the rota's steps, once whatever the workers."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tests.oncall.helpers import crew, paris, rota_of
from webapp.core.audit import history
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.jobs import huey
from webapp.notes import service as notes
from webapp.oncall import paging, tasks
from webapp.oncall.models import Page
from webapp.push.models import Notification

NOW = paris(2026, 11, 10, 3, 0)  # Bruno's week, at night


def sent_note(c):
    note = notes.create_note(c.agent, title="Effondrement de la RD 12", body="Chaussée effondrée au PR 14.",
                             addressee_ids=[c.elus[0].id], proposed_deadline=utcnow() + timedelta(days=1),
                             proposed_argument="Route coupée.")
    notes.submit(c.agent, note)
    notes.agree(c.head, note)
    db.session.commit()
    return note


def pages(note):
    return [(p.step, p.user.name) for p in paging.pages_of(note)]


def escalate(page, at):
    return tasks.escalate.call_local(str(page.id), at.isoformat())


def test_the_person_on_call_is_paged_without_the_note_content(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus)
    note = sent_note(c)
    page = paging.page_note(note, rota, NOW)
    db.session.commit()
    assert pages(note) == [(0, "Bruno Second")]
    assert c.elus[1].id in {a.user_id for a in note.addressees}
    pushed = db.session.scalar(db.select(Notification).where(Notification.user_id == c.elus[1].id))
    assert pushed.kind == "oncall.paged" and pushed.url == f"/notes/{note.id}"
    assert "RD 12" not in pushed.title + pushed.body and "effondrée" not in pushed.title + pushed.body
    events = [e for e in history(note) if e.action.startswith("oncall_")]
    assert [(e.action, e.after["name"]) for e in events] == [("oncall_paged", "Bruno Second")]
    # The escalation waits in the queue for the rota's delay.
    assert any(t.args == (str(page.id),) for t in huey.scheduled())
    assert paging.page_note(note, rota, NOW) is None  # paged once


def test_unacknowledged_it_goes_to_the_next_then_stops_at_the_step_limit(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus, steps=1)
    note = sent_note(c)
    first = paging.page_note(note, rota, NOW)
    db.session.commit()
    assert escalate(first, NOW + timedelta(minutes=16)) == "escalated"
    assert pages(note) == [(0, "Bruno Second"), (1, "Chloé Troisième")]
    events = [(e.action, e.after["name"]) for e in history(note) if e.action.startswith("oncall_")]
    assert events == [("oncall_paged", "Bruno Second"), ("oncall_escalated", "Chloé Troisième")]
    second = db.session.scalar(db.select(Page).where(Page.note_id == note.id, Page.step == 1))
    assert escalate(second, NOW + timedelta(minutes=32)) == "exhausted"
    assert pages(note) == [(0, "Bruno Second"), (1, "Chloé Troisième")]


def test_an_acknowledgement_stops_the_escalation(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus)
    note = sent_note(c)
    first = paging.page_note(note, rota, NOW)
    db.session.commit()
    assert notes.acknowledge(c.elus[1], note, NOW + timedelta(minutes=3))
    db.session.commit()
    assert escalate(first, NOW + timedelta(minutes=16)) == "acknowledged"
    assert pages(note) == [(0, "Bruno Second")]


def test_the_escalation_runs_once_even_twice_or_in_two_workers(app, make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus)
    note = sent_note(c)
    first = paging.page_note(note, rota, NOW)
    db.session.commit()
    page_id, at = str(first.id), (NOW + timedelta(minutes=16)).isoformat()
    barrier = threading.Barrier(2)
    outcomes = []

    def worker():
        with app.app_context():  # each worker its own session, as two consumer processes
            barrier.wait()
            outcomes.append(tasks.escalate.call_local(page_id, at))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["already", "escalated"]
    db.session.expire_all()
    assert pages(note) == [(0, "Bruno Second"), (1, "Chloé Troisième")]
    assert escalate(first, NOW + timedelta(minutes=30)) == "already"
    assert len([e for e in history(note) if e.action == "oncall_escalated"]) == 1


@pytest.mark.quiet_nights
def test_a_page_is_pushed_at_night_when_other_notifications_wait_for_morning(make):
    from webapp.push import preferences

    person = make.user()
    pref = preferences.of(person)  # default quiet hours: 22:00 to 7:00
    page = Notification(user_id=person.id, kind="oncall.paged", title="t", url="/oncall/")
    other = Notification(user_id=person.id, kind="general", title="t", url="/")
    assert preferences.quiet_until_for(pref, page, NOW) is None
    assert preferences.quiet_until_for(pref, other, NOW) == paris(2026, 11, 10, 7, 0)
