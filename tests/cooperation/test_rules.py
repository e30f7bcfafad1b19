"""The anti-manuel's rules: versions and agreements, and the rules driving notes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.cooperation.helpers import agreed_charter, kind, pair
from webapp.cooperation import service
from webapp.core.clock import to_paris, utcnow
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.notes import service as notes
from webapp.push.models import Notification


def test_the_catalogue_starts_with_the_seven_situations_and_takes_new_ones(make):
    p = pair(make)
    labels = [t.label for t in service.catalogue()]
    assert labels[:3] == ["Décision courante", "Décision urgente", "Arbitrage entre services"]
    assert len(labels) == 7
    service.add_situation_type(p.head, "Demande d’un maire")
    assert "Demande d’un maire" in [t.label for t in service.catalogue()]
    with pytest.raises(DomainError):
        service.add_situation_type(p.head, "demande d’un MAIRE")


def test_a_version_is_in_force_once_the_elu_and_the_head_agreed_it(make):
    p = pair(make)
    charter = service.open_charter(p.head, p.unit)
    assert charter.head_id == p.head.id and [e.id for e in charter.elus] == [p.elu.id]
    version = service.open_version(charter)
    service.set_rule(p.head, version, kind("information").id, deadline_days=7)
    service.propose(p.head, version)
    service.agree(p.elu, version)
    assert version.status == "proposed" and service.agreed_version(charter) is None
    with pytest.raises(DomainError) as refused:
        service.agree(p.agent, version)
    assert refused.value.status == 403
    service.agree(p.head, version)
    assert version.status == "agreed" and charter.first_agreed_at is not None
    # The next version starts from the agreed rules; the first stays in force until the second is agreed.
    second = service.start_version(p.elu, charter)
    assert second.number == 2 and [r.deadline_days for r in second.rules] == [7]
    service.set_rule(p.elu, second, kind("information").id, deadline_days=3)
    assert service.rule_for_unit(p.unit.id, kind("information").id).deadline_days == 7
    service.propose(p.elu, second)
    service.agree(p.elu, second)
    service.agree(p.head, second)
    assert [v.status for v in charter.versions] == ["superseded", "agreed"]
    assert service.rule_for_unit(p.unit.id, kind("information").id).deadline_days == 3


def test_editing_a_proposed_version_forgets_the_agreements_given(make):
    p = pair(make)
    charter = service.open_charter(p.head, p.unit)
    version = service.open_version(charter)
    service.set_rule(p.head, version, kind("information").id)
    service.propose(p.head, version)
    service.agree(p.elu, version)
    service.set_rule(p.head, version, kind("information").id, deadline_days=2)
    assert version.status == "draft" and version.agreements == []


def test_a_standing_delegation_needs_its_delegatee(make):
    p = pair(make)
    version = service.open_version(service.open_charter(p.head, p.unit))
    with pytest.raises(DomainError) as refused:
        service.set_rule(p.head, version, kind("information").id, modality="standing_delegation")
    assert "delegatee_id" in refused.value.fields


def _draft(p, type_key, **fields):
    return notes.create_note(p.agent, title="Travaux rue Haute", body="Le chantier commence lundi.",
                             addressee_ids=[p.elu.id], situation_type_id=kind(type_key).id, **fields)


def test_the_situation_type_suggests_the_rule_deadline_and_argument(make):
    p = pair(make)
    agreed_charter(p, {"decision_urgente": {"deadline_days": 1, "modality": "oncall", "argument": "Urgence."}})
    note = _draft(p, "decision_urgente")
    rule = service.rule_for(note)
    assert rule is not None and rule.modality == "oncall"
    assert to_paris(note.proposed_deadline).date() == to_paris(utcnow()).date() + timedelta(days=1)
    assert note.proposed_argument == "Urgence."


def test_a_rule_that_may_not_be_shortened_refuses_an_earlier_deadline(make):
    p = pair(make)
    agreed_charter(p, {"information": {"deadline_days": 7, "shortenable": False}})
    note = _draft(p, "information", proposed_deadline=utcnow() + timedelta(days=2), proposed_argument="Vite.")
    with pytest.raises(DomainError) as refused:
        notes.submit(p.agent, note)
    assert "proposed_deadline" in refused.value.fields


def test_a_standing_delegation_routes_the_note_to_the_delegatee_and_tells_the_elu(make):
    p = pair(make)
    delegatee = make.agent("Adjointe déléguée", unit=p.unit, manager=p.head)
    agreed_charter(p, {"information": {"modality": "standing_delegation", "delegatee_id": delegatee.id}})
    note = _draft(p, "information")
    notes.submit(p.agent, note)
    notes.agree(p.head, note)
    db.session.commit()
    assert note.status == "delegated" and note.delegatees == [delegatee]
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(db.select(Notification))}
    assert (delegatee.id, "note.delegated_to_you") in kinds
    assert (p.elu.id, "note.standing_delegation") in kinds


def test_without_an_agreed_anti_manuel_a_note_has_no_rule(make):
    p = pair(make)
    service.open_charter(p.head, p.unit)
    note = _draft(p, "information")
    assert service.rule_for(note) is None and note.proposed_deadline is None
