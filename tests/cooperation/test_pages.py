"""The anti-manuel's pages and who may use them; the rules on the élu's home and in the notifications."""

from __future__ import annotations

from tests.cooperation.helpers import agreed_charter, kind, pair
from webapp.cooperation import service
from webapp.core.clock import to_paris, utcnow
from webapp.extensions import db
from webapp.notes import service as notes
from webapp.push import preferences
from webapp.push.models import Notification, PushPreference


def test_the_head_opens_the_anti_manuel_and_writes_a_rule(client, make):
    p = pair(make)
    client.login(p.head)
    assert "Voirie" in client.get("/cooperation").get_data(as_text=True)
    response = client.post("/cooperation/open", data={"unit_id": str(p.unit.id)})
    assert response.status_code == 302
    charter = service.charter_of_unit(p.unit.id)
    added = client.post(f"/cooperation/{charter.id}/rules", data={"situation_type_id": str(kind("presse").id)})
    rule_url = added.headers["Location"]
    saved = client.post(rule_url, data={"modality": "call", "deadline_days": "0", "deciders": "elu",
                                        "channel": "push", "presence": "remote", "urgent": "true"})
    assert saved.status_code == 302
    page = client.get(f"/cooperation/{charter.id}").get_data(as_text=True)
    assert "Sollicitation presse" in page and "Appel" in page and "urgent, même en heures calmes" in page


def test_a_bad_rule_is_refused_beside_its_field(client, make):
    p = pair(make)
    charter = service.open_charter(p.head, p.unit)
    rule = service.set_rule(p.head, service.open_version(charter), kind("information").id)
    db.session.commit()
    client.login(p.head)
    response = client.post(f"/cooperation/{charter.id}/rules/{rule.id}",
                           data={"modality": "standing_delegation", "deadline_days": "3", "deciders": "elu",
                                 "channel": "push", "presence": "none"})
    assert response.status_code == 422
    assert 'id="delegatee_id-error"' in response.get_data(as_text=True)


def test_who_may_see_edit_and_agree(client, make):
    p = pair(make)
    charter = agreed_charter(p, {"information": {"deadline_days": 7}})
    url = f"/cooperation/{charter.id}"
    client.login(p.outsider)  # an agent of another service: the anti-manuel is not theirs
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/versions").status_code == 404
    client.login(p.agent)  # an agent of the service reads the rules, but does not write them
    assert client.get(url).status_code == 200
    assert client.post(f"{url}/versions").status_code == 403
    client.login(p.elu)
    assert client.post(f"{url}/versions").status_code == 302
    rule = service.open_version(charter).rules[0]
    client.post(f"{url}/rules/{rule.id}", data={"modality": "note", "deadline_days": "2", "deciders": "elu",
                                                "channel": "push", "presence": "none", "shortenable": "true"})
    client.post(f"{url}/propose", data={"summary": "Informations plus rapides"})
    client.login(p.agent)
    assert client.post(f"{url}/agree").status_code == 403
    client.login(p.elu)
    assert client.post(f"{url}/agree").status_code == 302
    client.login(p.head)
    assert client.post(f"{url}/agree").status_code == 302
    history = client.get(f"{url}/history").get_data(as_text=True)
    assert "Version 2 · En vigueur" in history and "Version 1 · Remplacée" in history
    assert "<del>7</del> → <ins>2</ins>" in history


def test_the_elus_home_shows_the_pairs_rules_one_line_per_type(client, make):
    p = pair(make)
    agreed_charter(p, {"information": {"deadline_days": 7}, "decision_urgente": {"deadline_days": 1},
                       "presse": {"modality": "call", "deadline_days": 0}})
    client.login(p.elu)
    home = client.get("/").get_data(as_text=True)
    assert "Règles avec Voirie" in home
    for label in ("Information", "Décision urgente", "Sollicitation presse"):
        assert label in home


def _note_notification(p, type_key):
    note = notes.create_note(p.agent, title="Chantier", body="Texte.", addressee_ids=[p.elu.id],
                             situation_type_id=kind(type_key).id)
    db.session.flush()
    return Notification(user_id=p.elu.id, kind="note.received", title="t", url=f"/notes/{note.id}")


def test_notifications_keep_the_pairs_quiet_hours_except_for_urgent_types(make):
    p = pair(make)
    hour = to_paris(utcnow()).hour
    agreed_charter(p, {"information": {"quiet_start": hour, "quiet_end": (hour + 2) % 24},
                       "crise": {"urgent": True}})
    awake = PushPreference(user_id=p.elu.id, muted_kinds=[], quiet_start=None, quiet_end=None)
    asleep = PushPreference(user_id=p.elu.id, muted_kinds=[], quiet_start=hour, quiet_end=(hour + 1) % 24)
    now = utcnow()
    assert preferences.quiet_until_for(awake, _note_notification(p, "information"), now) is not None
    assert preferences.quiet_until_for(asleep, _note_notification(p, "crise"), now) is None
    assert preferences.quiet_until_for(asleep, _note_notification(p, "presse"), now) is not None  # no rule
