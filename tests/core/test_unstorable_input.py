"""Text no column can store (lone surrogates, NUL, control characters) is a 422 naming the field, on
every API and form; in a phone's batch of captures, only the bad capture is refused."""

from __future__ import annotations

import json

from tests.excursions.conftest import Team, item_body
from webapp.excursions.models import EvidenceItem
from webapp.extensions import db
from webapp.notes.models import Note


def _raw_json(client, url: str, text: str):
    # Written by hand: the JSON escape "\ud800" is what a phone sends for an emoji cut in half.
    return client.post(url, data=text, content_type="application/json")


def test_a_lone_surrogate_in_a_note_is_a_422_naming_the_field(client, make):
    client.login(make.agent())
    response = _raw_json(client, "/api/v1/notes", '{"title": "Budget \\ud83d", "body": "ok"}')
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"title": ["Caractère non autorisé (U+D83D)."]}
    assert db.session.scalar(db.select(db.func.count()).select_from(Note)) == 0


def test_a_lone_surrogate_in_a_capture_is_a_422_naming_the_field(client, make):
    team = Team(make)
    client.login(team.agent)
    body = json.dumps(item_body(text="placeholder")).replace("placeholder", "vu \\udc00 sur place")
    response = _raw_json(client, f"/api/v1/excursions/{team.excursion.id}/items", body)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"text": ["Caractère non autorisé (U+DC00)."]}


def test_nested_fields_are_named_by_their_path(client, make):
    team = Team(make)
    client.login(team.agent)
    response = client.patch(f"/api/v1/excursions/{team.excursion.id}",
                            json={"places": [{"name": "Mairie"}, {"name": "Gare\x1b[31m"}]})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"places": {"1": {"name": ["Caractère non autorisé (U+001B)."]}}}


def test_a_batch_keeps_the_good_captures_and_refuses_the_bad_one_with_its_reason(client, make):
    team = Team(make)
    client.login(team.agent)
    first, bad, last = item_body(text="Avant"), item_body(text="BAD"), item_body(text="Après")
    already = item_body(text="Déjà reçue")
    assert client.post(f"/api/v1/excursions/{team.excursion.id}/items", json=already).status_code == 201
    body = json.dumps({"items": [first, bad, last, already]}).replace('"BAD"', '"emoji coup\\ud83d"')
    response = _raw_json(client, f"/api/v1/excursions/{team.excursion.id}/items/batch", body)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [(r["id"], r["outcome"], r["status"]) for r in results] == [
        (first["id"], "stored", 201), (bad["id"], "refused", 422), (last["id"], "stored", 201),
        (already["id"], "replayed", 200)]
    assert results[1]["error"]["fields"] == {"text": ["Caractère non autorisé (U+D83D)."]}
    stored = db.session.scalars(db.select(EvidenceItem.text).order_by(EvidenceItem.text)).all()
    assert stored == ["Après", "Avant", "Déjà reçue"]


def test_the_batch_itself_is_still_checked_outside_its_items(client, make):
    team = Team(make)
    client.login(team.agent)
    response = client.post(f"/api/v1/excursions/{team.excursion.id}/items/batch",
                           json={"items": [item_body()], "note\x07": "x"})
    assert response.status_code == 422


def test_forms_refuse_control_characters_but_keep_line_breaks_and_tabs(client, make):
    team = Team(make)
    client.login(team.agent)
    refused = client.post(f"/excursions/{team.excursion.id}/edit",
                          data={"title": "Visite\x0cdu site"}, headers={"Accept": "text/html"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "title" in page and "Caractère non autorisé (U+000C)." in page
    kept = client.post("/api/v1/notes", json={"title": "Colonnes\tet lignes", "body": "Un\r\ndeux\nTrois"})
    assert kept.status_code == 201, kept.get_json()


def test_query_strings_are_checked_too(client, make):
    client.login(make.agent())
    response = client.get("/api/v1/people?q=a%01b")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"q": ["Caractère non autorisé (U+0001)."]}
