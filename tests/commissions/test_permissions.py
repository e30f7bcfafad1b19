"""Who may write where: the élus' space, the agents' space, each other's contributions (a matrix)."""

import pytest

from tests.commissions.helpers import apercu, signed, world
from webapp.commissions import service
from webapp.commissions.models import ApercuComment
from webapp.extensions import db

# persona -> (may write in the élus' space, may write in the agents' space)
MATRIX = {
    "president": (True, False),
    "member": (True, False),
    "opposition": (True, False),
    "outsider_elu": (False, False),
    "author": (False, True),
    "colleague": (False, True),
    "other_agent": (False, False),
    "assemblies": (False, False),
    "cabinet": (False, False),
    "anonymous": (False, False),
}


@pytest.mark.parametrize("persona", MATRIX)
def test_write_permissions_of_each_space(app, make, persona):
    w = world(make)
    a = apercu(w)
    client = signed(app, w.persona(persona))
    expected = MATRIX[persona]
    for space, kind, allowed in (("elus", "opinion", expected[0]), ("agents", "problem", expected[1])):
        response = client.post(f"/api/v1/apercus/{a.id}/comments",
                               json={"space": space, "kind": kind, "body": f"Texte de {persona}"})
        denied = 401 if persona == "anonymous" else 403
        assert response.status_code == (201 if allowed else denied), (persona, space, response.get_json())
    count = db.session.scalar(db.select(db.func.count()).select_from(ApercuComment))
    assert count == sum(expected)


def test_neither_side_edits_the_others_space(app, make):
    w = world(make)
    a = apercu(w)
    elu_note = service.add_comment(w.member, a, "elus", "comment", "Projet utile.")
    agent_note = service.add_comment(w.author, a, "agents", "interference", "Croise la politique jeunesse.")
    db.session.commit()
    for persona, comment, allowed in (("member", elu_note, True), ("author", elu_note, False),
                                      ("president", elu_note, False), ("author", agent_note, True),
                                      ("colleague", agent_note, False), ("member", agent_note, False),
                                      ("assemblies", agent_note, False)):
        response = signed(app, w.persona(persona)).patch(f"/api/v1/apercu-comments/{comment.id}",
                                                          json={"body": f"Réécrit par {persona}"})
        assert response.status_code == (200 if allowed else 403), (persona, comment.space)
    db.session.expire_all()
    assert db.session.get(ApercuComment, elu_note.id).body == "Réécrit par member"
    assert db.session.get(ApercuComment, agent_note.id).body == "Réécrit par author"


def test_a_space_only_takes_its_own_kinds_and_opens_once_submitted(app, make):
    w = world(make)
    draft = apercu(w, "Encore en brouillon", submit=False)
    member = signed(app, w.member)
    closed = member.post(f"/api/v1/apercus/{draft.id}/comments", json={"space": "elus", "kind": "opinion",
                                                                       "body": "Trop tôt"})
    assert closed.status_code == 403
    a = apercu(w)
    wrong = member.post(f"/api/v1/apercus/{a.id}/comments", json={"space": "elus", "kind": "problem", "body": "x"})
    assert wrong.status_code == 422
    outside = member.post(f"/api/v1/apercus/{a.id}/comments", json={
        "space": "elus", "kind": "comment", "body": "Voir la note", "link_url": "https://exemple.org"})
    assert outside.status_code == 422 and "page de Tandem" in outside.get_json()["error"]["message"]
