"""The JSON API as the PWA's outbox uses it: client ids, idempotent retries, clear 422 errors;
home-page to-dos; pages refusing bad input without a 500."""

import uuid
from datetime import timedelta

from tests.notes.helpers import BODY, note_in, world
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes.models import Answer, Note


def test_client_supplied_id_and_full_flow_through_the_api(client, make):
    w = world(make)
    note_id = uuid.uuid4()
    client.login(w.author)
    created = client.post("/api/v1/notes", json={
        "id": str(note_id), "title": "Note hors ligne", "body": BODY, "addressee_ids": [str(w.elu.id)],
        "concerned_ids": [str(w.concerned.id)], "options": ["Pilote", "Généralisation"],
        "proposed_deadline": (utcnow() + timedelta(days=4)).isoformat(), "proposed_argument": "Vote en juin."})
    assert created.status_code == 201 and created.get_json()["id"] == str(note_id)
    assert [o["label"] for o in created.get_json()["options"]] == ["A", "B"]
    assert client.post(f"/api/v1/notes/{note_id}/submit").get_json()["status"] == "submitted"
    client.post("/logout")
    client.login(w.manager)
    agreed = client.post(f"/api/v1/notes/{note_id}/agreement", json={}).get_json()
    assert agreed["status"] == "sent" and agreed["agreed_by"]["id"] == str(w.manager.id)
    client.post("/logout")
    client.login(w.elu)
    inbox = client.get("/api/v1/notes?box=inbox").get_json()
    assert [i["id"] for i in inbox["items"]] == [str(note_id)]
    assert inbox["items"][0]["urgency"] == "later"
    acked = client.post(f"/api/v1/notes/{note_id}/acknowledge").get_json()
    assert acked["addressees"][0]["acknowledged_at"] is not None
    history = [e["action"] for e in client.get(f"/api/v1/notes/{note_id}/history").get_json()]
    assert history[:4] == ["note.created", "note.submitted", "note.agreed", "note.sent"]
    assert history[-1] == "note.acknowledged"


def test_agreeing_and_returning_are_two_endpoints(client, make):
    w = world(make)
    note = note_in(w, "submitted")
    client.login(w.manager)
    # A return queued by the former client ({"action": "return"} on /agreement) must not agree the note.
    legacy = client.post(f"/api/v1/notes/{note.id}/agreement", json={"action": "return", "comment": "À revoir."})
    assert legacy.status_code == 422 and db.session.get(Note, note.id).status == "submitted"
    silent = client.post(f"/api/v1/notes/{note.id}/return", json={})
    assert silent.status_code == 422 and "comment" in silent.get_json()["error"]["fields"]
    returned = client.post(f"/api/v1/notes/{note.id}/return", json={"comment": "Précisez le coût."})
    assert returned.status_code == 200 and returned.get_json()["status"] == "returned"
    # Once returned, the note is back with its author: nothing is left for the manager to agree.
    assert client.post(f"/api/v1/notes/{note.id}/agreement", json={}).status_code == 403


def test_a_retried_answer_with_the_same_key_is_recorded_once(client, make):
    w = world(make)
    note = note_in(w, "sent")
    client.login(w.elu)
    headers = {"Idempotency-Key": "outbox-entry-1"}
    payload = {"kind": "opinion", "text": "Favorable."}
    first = client.post(f"/api/v1/notes/{note.id}/answers", json=payload, headers=headers)
    again = client.post(f"/api/v1/notes/{note.id}/answers", json=payload, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer).where(Answer.note_id == note.id)) == 1


def test_refusals_are_json_with_field_messages(client, make):
    w = world(make)
    note = note_in(w, "draft")
    client.login(w.author)
    note.proposed_argument = ""
    db.session.commit()
    refused = client.post(f"/api/v1/notes/{note.id}/submit")
    assert refused.status_code == 422
    assert "proposed_argument" in refused.get_json()["error"]["fields"]
    assert client.post("/api/v1/notes", json={"body": "sans titre"}).status_code == 422
    assert client.get(f"/api/v1/notes/{uuid.uuid4()}").status_code == 404
    sent = note_in(w, "sent")
    client.post("/logout")
    client.login(w.elu)
    wrong = client.post(f"/api/v1/notes/{sent.id}/answers", json={"kind": "annotation", "quote": "absent",
                                                                   "text": "?"})
    assert wrong.status_code == 422 and "quote" in wrong.get_json()["error"]["fields"]
    again = client.post(f"/api/v1/notes/{sent.id}/answers", json={"kind": "decision", "verdict": "option",
                                                                   "option": "Q"})
    assert again.status_code == 422
    assert db.session.get(Note, sent.id).status == "sent"


def test_draft_page_keeps_what_was_typed_when_the_deadline_is_missing(client, make):
    w = world(make)
    client.login(w.author)
    response = client.post("/notes/new/submit", data={
        "title": "Note incomplète", "body": BODY, "addressee_ids": str(w.elu.id),
        "proposed_argument": "Vote en juin."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Le délai de réponse proposé est obligatoire." in page
    assert "Note incomplète" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == 0
    bad = client.post("/notes/new", data={"title": "x", "proposed_deadline": "pas une date"})
    assert bad.status_code == 422


def test_home_lists_what_each_person_has_to_do(client, make):
    w = world(make)
    submitted = note_in(w, "submitted")
    sent = note_in(w, "sent", days=0.2)
    question = note_in(w, "question")
    for person, expected, absent in [
        (w.manager, ["Délais à convenir", submitted.title], []),
        (w.elu, ["Notes à traiter", f"/notes/{sent.id}"], [f"/notes/{submitted.id}"]),
        (w.author, ["Mes notes à reprendre", f"/notes/{question.id}", "Question de l’élu·e"], []),
        (w.cabinet, [], ["Notes à traiter", "Mes notes à reprendre"]),
    ]:
        client.login(person)
        page = client.get("/").get_data(as_text=True)
        for text in expected:
            assert text in page, (person.name, text)
        for text in absent:
            assert text not in page, (person.name, text)
        client.post("/logout")


def test_markdown_is_rendered_without_scripts(client, make):
    w = world(make)
    note = note_in(w, "sent")
    note.body = "**Important** <script>alert(1)</script> [lien](javascript:alert(1))"
    db.session.commit()
    client.login(w.elu)
    page = client.get(f"/notes/{note.id}").get_data(as_text=True)
    body = page.split('id="note-body">', 1)[1].split("</div>", 1)[0]
    assert "<strong>Important</strong>" in body
    assert "<script" not in body and "&lt;script&gt;" in body  # shown as text, never run
    assert "href=" not in body  # the javascript: link is not made a link


def test_inbox_page_filters_by_status_service_and_search(client, make):
    w = world(make)
    open_note = note_in(w, "sent")
    open_note.title = "Crèches du quartier nord"
    decided = note_in(w, "decided")
    decided.title = "Transport scolaire adapté"
    other_unit = make.unit("Routes")
    db.session.commit()
    client.login(w.elu)
    page = client.get("/notes/inbox").get_data(as_text=True)
    assert "Crèches du quartier nord" in page and "Transport scolaire adapté" in page
    assert page.index("Crèches du quartier nord") < page.index("Transport scolaire adapté")
    only_open = client.get("/notes/inbox?status=open").get_data(as_text=True)
    assert "Crèches du quartier nord" in only_open and "Transport scolaire adapté" not in only_open
    search = client.get("/notes/inbox?q=transport").get_data(as_text=True)
    assert "Transport scolaire adapté" in search and "Crèches du quartier nord" not in search
    elsewhere = client.get(f"/notes/inbox?unit={other_unit.id}").get_data(as_text=True)
    assert "Aucune note avec ces filtres." in elsewhere


def test_inbox_filter_menus_list_services_and_commissions_in_reading_order(client, make):
    w = world(make)
    for name in ("Voirie", "Écoles", "eau potable"):
        make.unit(name)
    make.unit("Direction générale", kind="direction")  # not a service: no filter of its own
    finances = make.commission("Finances")
    make.commission("Aménagement")
    db.session.commit()
    client.login(w.elu)
    page = client.get(f"/notes/inbox?commission={finances.id}").get_data(as_text=True)
    units = page.split('<select id="unit"', 1)[1].split("</select>", 1)[0]
    commissions = page.split('<select id="commission"', 1)[1].split("</select>", 1)[0]
    assert "Direction générale" not in units
    assert units.index("eau potable") < units.index("Écoles") < units.index("Voirie")  # accents read as letters
    assert commissions.index("Aménagement") < commissions.index("Finances")
    assert f'<option value="{finances.id}" selected>Finances</option>' in commissions


def test_pages_of_notes_say_how_many_there_are_on_every_page_and_past_the_end(client, make):
    w = world(make)
    for i in range(45):
        note_in(w, "sent" if i % 3 else "draft", days=1 + i)
    for person, box, count in ((w.author, "mine", 45), (w.elu, "inbox", 30)):
        client.login(person)
        seen = []
        for page in (1, 2, 3, 4):
            body = client.get(f"/api/v1/notes?box={box}&per_page=20&page={page}").get_json()
            assert body["meta"] == {"page": page, "per_page": 20, "total": count, "pages": -(-count // 20)}, box
            seen += [item["id"] for item in body["items"]]
        assert len(seen) == len(set(seen)) == count, box  # every note once, none twice
    client.login(w.author)
    last = client.get("/notes?page=3").get_data(as_text=True)
    assert last.count('class="note-row') == 5 and "Page 3 sur 3" in last and "Suivant" not in last


def test_figures_page_shows_the_elu_and_the_service(client, make):
    w = world(make)
    note_in(w, "decided")
    note_in(w, "delegated")
    client.login(w.elu)
    page = client.get("/notes/figures").get_data(as_text=True)
    assert "Élue Destinataire" in page and "Enfance et famille" in page
    assert "100 %" in page  # both answered within the agreed deadline


def test_unknown_commission_or_person_is_a_422_not_a_500(client, make):
    w = world(make)
    note = note_in(w, "draft")
    client.login(w.author)
    for payload in ({"commission_id": str(uuid.uuid4())}, {"addressee_ids": [str(uuid.uuid4())]},
                    {"concerned_ids": [str(w.cabinet.id)]}, {"addressee_ids": [str(w.unrelated.id)]},
                    {"proposed_deadline": "2027-01-01T10:00:00"}):
        response = client.patch(f"/api/v1/notes/{note.id}", json=payload)
        assert response.status_code == 422, payload


def test_a_delegatee_finds_the_delegated_decision_on_the_home_page(client, make):
    w = world(make)
    note = note_in(w, "delegated")
    client.login(w.delegatee)
    page = client.get("/").get_data(as_text=True)
    assert "Décisions qui vous sont déléguées" in page and f"/notes/{note.id}" in page
