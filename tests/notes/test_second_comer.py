"""Whoever comes second to a once-only step of a note is told who took it, with the note as it is now;
a step sent again under the same client id is the first one, never a duplicate."""

import uuid
from datetime import timedelta

from tests.notes.helpers import note_in, world
from webapp.core.audit import history
from webapp.extensions import db
from webapp.notes import service
from webapp.notes.models import NoteAddressee


def _second_elu(w, make, note):
    other = make.elu("Marion Guérin")
    note.addressees.append(NoteAddressee(user_id=other.id, user=other))
    db.session.commit()
    return other


def test_a_decision_after_another_elus_decision_is_409_naming_it_with_the_note(app, client, make):
    w = world(make)
    note = note_in(w, "sent")
    marion = _second_elu(w, make, note)
    client.login(marion)
    first = client.post(f"/api/v1/notes/{note.id}/answers", json={"kind": "decision", "verdict": "option",
                                                                   "option": "B"})
    assert first.status_code == 201
    late = app.test_client()
    late.login(w.elu)
    refused = late.post(f"/api/v1/notes/{note.id}/answers", json={"kind": "decision", "verdict": "approve"})
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "conflict" and error["message"] == "Marion Guérin a déjà décidé : option B"
    assert error["current"]["status"] == "decided" and error["current"]["id"] == str(note.id)
    # The page says the same, on the note as it is now.
    page = late.post(f"/notes/{note.id}/answer", data={"kind": "decision", "choice": "approve"})
    assert page.status_code == 409 and "Marion Guérin a déjà décidé : option B" in page.get_data(as_text=True)
    assert [e.action for e in history(note)].count("note.decision") == 1


def test_a_settlement_after_the_other_one_is_409_with_the_request_as_it_is(app, client, make):
    w = world(make)
    note = note_in(w, "renegotiation")
    item = note.renegotiations[0]
    client.login(w.author)
    assert client.post(f"/api/v1/notes/{note.id}/renegotiations/{item.id}", json={"accept": True}).status_code == 200
    manager = app.test_client()
    manager.login(w.manager)
    late = manager.post(f"/api/v1/notes/{note.id}/renegotiations/{item.id}", json={"accept": False})
    assert late.status_code == 409
    error = late.get_json()["error"]
    assert error["message"] == f"{w.author.name} a déjà accepté cette demande de délai."
    assert error["current"]["status"] == "accepted" and error["current"]["settled_by"]["id"] == str(w.author.id)


def test_an_answer_sent_again_under_its_id_is_the_first_and_another_under_it_is_refused(client, make):
    w = world(make)
    note = note_in(w, "sent")
    client.login(w.elu)
    answer = {"id": str(uuid.uuid4()), "kind": "opinion", "text": "Favorable."}
    first = client.post(f"/api/v1/notes/{note.id}/answers", json=answer)
    again = client.post(f"/api/v1/notes/{note.id}/answers", json=answer)
    assert (first.status_code, again.status_code) == (201, 201) and first.get_json() == again.get_json()
    other = client.post(f"/api/v1/notes/{note.id}/answers", json={**answer, "text": "Défavorable."})
    assert other.status_code == 409
    db.session.expire_all()
    assert [a.text for a in service.get_note(note.id).answers] == ["Favorable."]


def test_a_second_request_for_more_time_is_409_while_one_waits(client, make):
    w = world(make)
    note = note_in(w, "renegotiation")
    client.login(w.elu)
    again = client.post(f"/api/v1/notes/{note.id}/renegotiations", json={
        "deadline": (note.deadline + timedelta(days=9)).isoformat(), "argument": "Encore plus."})
    assert again.status_code == 409
    assert again.get_json()["error"]["message"].endswith("la demande attend une réponse.")
