"""Sending a note whose situation rule in the agreed anti-manuel says "astreinte" pages the person on call."""

from __future__ import annotations

from datetime import timedelta

from tests.cooperation.helpers import kind
from tests.oncall.helpers import crew, rota_of
from tests.oncall.test_api_feed import this_monday
from webapp.cooperation import service as cooperation
from webapp.core.audit import history
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes import service as notes
from webapp.oncall import paging


def agreed(c, rules: dict):
    charter = cooperation.open_charter(c.head, c.unit)
    version = cooperation.open_version(charter)
    for key, fields in rules.items():
        cooperation.set_rule(c.head, version, kind(key).id, **fields)
    cooperation.propose(c.head, version)
    for person in [c.head, *c.elus]:
        cooperation.agree(person, version)
    db.session.commit()


def send(c, type_key: str | None):
    note = notes.create_note(c.agent, title="Glissement de terrain", body="La RD 8 est coupée.",
                             addressee_ids=[c.elus[0].id], situation_type_id=kind(type_key).id if type_key else None,
                             proposed_deadline=utcnow() + timedelta(days=2), proposed_argument="Route coupée.")
    notes.submit(c.agent, note)
    notes.agree(c.head, note)
    db.session.commit()
    return note


def test_an_urgent_decision_goes_to_the_person_on_call_and_an_information_does_not(make):
    c = crew(make)
    rota_of(c.unit, [c.elus[1], c.elus[2], c.elus[0]], starts_on=this_monday())
    agreed(c, {"decision_urgente": {}, "information": {}, "decision_courante": {}})
    urgent = send(c, "decision_urgente")
    assert [(p.step, p.user.name) for p in paging.pages_of(urgent)] == [(0, "Bruno Second")]
    assert [e.action for e in history(urgent)].count("oncall_paged") == 1
    plain = send(c, "information")
    assert paging.pages_of(plain) == []
    untyped = send(c, None)
    assert paging.pages_of(untyped) == []


def test_an_urgent_rule_pages_only_when_the_rota_takes_urgent_notes(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus, starts_on=this_monday())
    agreed(c, {"presse": {"modality": "call", "urgent": True}})
    assert [p.user.name for p in paging.pages_of(send(c, "presse"))] == ["Anne Premier"]
    rota.urgent_notes = False
    db.session.commit()
    assert paging.pages_of(send(c, "presse")) == []
