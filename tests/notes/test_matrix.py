"""Authorization matrix over every notes endpoint: who gets what, and a refused write changes nothing.

Personas: the author, their manager, the addressee élu, a concerned agent, a delegatee, an unrelated
agent, another élu, a cabinet member and an anonymous visitor.
"""

from datetime import timedelta

import pytest

from tests.notes.helpers import PERSONAS, note_in, world
from webapp.core.audit import history
from webapp.extensions import db
from webapp.notes import service
from webapp.notes.models import Note

FORBIDDEN = 403
# Someone who takes part in the step but comes after the note moved on gets 409 naming what happened,
# never 403 (the élu decided on one phone while the other had delegated).
CONFLICTING = {"api delegated decision": {"elu"}}


def _snapshot(note_id):
    db.session.expire_all()
    note = db.session.get(Note, note_id)
    return (note.status, note.deadline, note.agreed_at, note.title, len(note.answers), len(note.delegations),
            [(r.status, r.requested_deadline) for r in note.renegotiations],
            [a.acknowledged_at for a in note.addressees], len(history(note)))


def _client(app, w, persona):
    client = app.test_client()
    user = w.persona(persona)
    if user is not None:
        client.login(user)
    return client


def _call(client, method, url, payload):
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        return client.open(url, method=method, json=payload if payload is not None else {})
    return client.open(url, method=method, data=payload or {})


def _later(note):
    return (note.deadline + timedelta(days=7)).isoformat()


# (case id, note state, method, url(note), payload(note, world), {persona: status when allowed})
CASES = [
    ("api get", "delegated", "GET", lambda n: f"/api/v1/notes/{n.id}", None,
     dict.fromkeys(["author", "manager", "elu", "concerned", "delegatee"], 200)),
    ("api get draft", "draft", "GET", lambda n: f"/api/v1/notes/{n.id}", None, {"author": 200}),
    ("api get submitted", "submitted", "GET", lambda n: f"/api/v1/notes/{n.id}", None,
     {"author": 200, "manager": 200}),
    ("api history", "sent", "GET", lambda n: f"/api/v1/notes/{n.id}/history", None,
     dict.fromkeys(["author", "manager", "elu", "concerned"], 200)),
    ("page show", "delegated", "GET", lambda n: f"/notes/{n.id}", None,
     dict.fromkeys(["author", "manager", "elu", "concerned", "delegatee"], 200)),
    ("page edit", "draft", "GET", lambda n: f"/notes/{n.id}/edit", None, {"author": 200}),
    ("api patch", "draft", "PATCH", lambda n: f"/api/v1/notes/{n.id}", lambda n, w: {"title": "Nouveau titre"},
     {"author": 200}),
    ("api submit", "draft", "POST", lambda n: f"/api/v1/notes/{n.id}/submit", None, {"author": 200}),
    ("page submit", "draft", "POST", lambda n: f"/notes/{n.id}/submit", None, {"author": 302}),
    ("api agreement", "submitted", "POST", lambda n: f"/api/v1/notes/{n.id}/agreement",
     lambda n, w: {}, {"manager": 200}),
    ("api return", "submitted", "POST", lambda n: f"/api/v1/notes/{n.id}/return",
     lambda n, w: {"comment": "À reprendre."}, {"manager": 200}),
    ("page agreement", "submitted", "POST", lambda n: f"/notes/{n.id}/agreement",
     lambda n, w: {"comment": "Entendu."}, {"manager": 302}),
    ("page return", "submitted", "POST", lambda n: f"/notes/{n.id}/return",
     lambda n, w: {"comment": "À reprendre."}, {"manager": 302}),
    ("api acknowledge", "sent", "POST", lambda n: f"/api/v1/notes/{n.id}/acknowledge", None, {"elu": 200}),
    ("api decision", "sent", "POST", lambda n: f"/api/v1/notes/{n.id}/answers",
     lambda n, w: {"kind": "decision", "verdict": "option", "option": "B"}, {"elu": 201}),
    ("api delegated decision", "delegated", "POST", lambda n: f"/api/v1/notes/{n.id}/answers",
     lambda n, w: {"kind": "decision", "verdict": "approve"}, {"delegatee": 201}),
    ("page decision", "sent", "POST", lambda n: f"/notes/{n.id}/answer",
     lambda n, w: {"kind": "decision", "choice": "option:B"}, {"elu": 302}),
    ("api opinion", "sent", "POST", lambda n: f"/api/v1/notes/{n.id}/answers",
     lambda n, w: {"kind": "opinion", "text": "Favorable."}, {"elu": 201}),
    ("api question", "sent", "POST", lambda n: f"/api/v1/notes/{n.id}/answers",
     lambda n, w: {"kind": "question", "text": "Quel coût ?"}, {"elu": 201}),
    ("api annotation", "delegated", "POST", lambda n: f"/api/v1/notes/{n.id}/answers",
     lambda n, w: {"kind": "annotation", "quote": "deux sites pilotes", "text": "Lesquels ?"},
     {"elu": 201, "delegatee": 201}),
    ("api reply", "question", "POST", lambda n: f"/api/v1/notes/{n.id}/reply", lambda n, w: {"text": "40 000 €."},
     {"author": 201}),
    ("page reply", "question", "POST", lambda n: f"/notes/{n.id}/reply", lambda n, w: {"text": "40 000 €."},
     {"author": 302}),
    ("api delegate", "sent", "POST", lambda n: f"/api/v1/notes/{n.id}/delegations",
     lambda n, w: {"delegatee_ids": [str(w.delegatee.id)], "instructions": "Voyez avec le service."}, {"elu": 201}),
    ("page delegate", "sent", "POST", lambda n: f"/notes/{n.id}/delegate",
     lambda n, w: {"delegatee_ids": str(w.delegatee.id), "instructions": "Voyez avec le service."}, {"elu": 302}),
    ("api renegotiate", "sent", "POST", lambda n: f"/api/v1/notes/{n.id}/renegotiations",
     lambda n, w: {"deadline": _later(n), "argument": "Session budgétaire."}, {"elu": 201}),
    ("page renegotiate", "sent", "POST", lambda n: f"/notes/{n.id}/renegotiate",
     lambda n, w: {"deadline": (n.deadline + timedelta(days=9)).date().isoformat(), "argument": "Budget."},
     {"elu": 302}),
    ("page annotation", "sent", "POST", lambda n: f"/notes/{n.id}/answer",
     lambda n, w: {"kind": "annotation", "quote": "deux sites pilotes", "text": "Lesquels ?"}, {"elu": 302}),
    ("page question", "sent", "POST", lambda n: f"/notes/{n.id}/answer",
     lambda n, w: {"kind": "question", "text": "Quel coût ?"}, {"elu": 302}),
    ("page edit post", "draft", "POST", lambda n: f"/notes/{n.id}/edit",
     lambda n, w: {"title": "Changé"}, {"author": 302}),
    ("api settle", "renegotiation", "POST",
     lambda n: f"/api/v1/notes/{n.id}/renegotiations/{n.renegotiations[0].id}",
     lambda n, w: {"accept": True}, {"author": 200, "manager": 200}),
    ("page settle", "renegotiation", "POST",
     lambda n: f"/notes/{n.id}/renegotiations/{n.renegotiations[0].id}",
     lambda n, w: {"decision": "refuse"}, {"author": 302, "manager": 302}),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_matrix(app, make, case):
    _name, state, method, url_of, payload_of, allowed = case
    w = world(make)
    note = note_in(w, state)
    url = url_of(note)
    payload = payload_of(note, w) if payload_of else None
    before = _snapshot(note.id)
    for persona in [p for p in PERSONAS if p not in allowed]:
        response = _call(_client(app, w, persona), method, url, payload)
        if persona == "anonymous":
            expected = 401 if url.startswith("/api/") else 302
            assert response.status_code == expected, (persona, response.status_code)
            if expected == 302:
                assert "/login" in response.headers["Location"]
        elif persona in CONFLICTING.get(_name, ()):
            assert response.status_code == 409, (persona, response.status_code)
            assert "a délégué la décision à Agent Délégataire" in response.get_json()["error"]["message"]
        else:
            assert response.status_code == FORBIDDEN, (persona, response.status_code)
        assert _snapshot(note.id) == before, f"{persona} changed the note"
    for index, (persona, status) in enumerate(allowed.items()):
        if index and method != "GET" and state in ("renegotiation",):
            w = world(make)  # settling is done once: the next allowed person gets a fresh note
            note = note_in(w, state)
            url, payload = url_of(note), payload_of(note, w) if payload_of else None
        response = _call(_client(app, w, persona), method, url, payload)
        assert response.status_code == status, (persona, response.status_code, response.get_data(as_text=True)[:300])


def test_lists_show_a_note_only_to_those_who_may_see_it(app, make):
    w = world(make)
    note = note_in(w, "delegated")
    expected = {"author": ("mine", True), "manager": ("mine", True), "concerned": ("mine", True),
                "elu": ("inbox", True), "delegatee": ("inbox", True), "unrelated": ("mine", False),
                "other_elu": ("inbox", False), "cabinet": ("inbox", False)}
    for persona, (box, sees) in expected.items():
        data = _client(app, w, persona).get(f"/api/v1/notes?box={box}").get_json()
        assert (str(note.id) in [i["id"] for i in data["items"]]) is sees, persona
        other = "inbox" if box == "mine" else "mine"
        if not sees:
            data = _client(app, w, persona).get(f"/api/v1/notes?box={other}").get_json()
            assert str(note.id) not in [i["id"] for i in data["items"]], persona
    assert _client(app, w, "anonymous").get("/api/v1/notes").status_code == 401


def test_drafting_is_for_agents_only(app, make):
    w = world(make)
    payload = {"title": "Une note", "body": "Texte", "addressee_ids": [str(w.elu.id)]}
    for persona, status in {"author": 201, "unrelated": 201, "elu": 403, "cabinet": 403, "anonymous": 401}.items():
        response = _client(app, w, persona).post("/api/v1/notes", json=payload)
        assert response.status_code == status, persona
    assert _client(app, w, "cabinet").get("/notes/new").status_code == 403


def test_figures_are_for_elus_and_managers_not_the_cabinet_or_plain_agents(app, make):
    w = world(make)
    note_in(w, "decided")
    expected = {"elu": 200, "other_elu": 200, "manager": 200, "author": 403, "unrelated": 403, "cabinet": 403,
                "anonymous": 401}
    for persona, status in expected.items():
        assert _client(app, w, persona).get("/api/v1/notes/figures").status_code == status, persona
    assert _client(app, w, "cabinet").get("/notes/figures").status_code == 403
    assert _client(app, w, "cabinet").get("/notes/inbox").status_code == 403


def test_the_notification_centre_names_a_note_exactly_to_those_who_may_open_it(app, make):
    """The centre reads its notes' permissions in SQL (``policy.can_view_row``): for every persona and
    every state of a note, it names the note exactly when ``can_view`` lets the person open it."""
    from webapp.notes import home, policy

    w = world(make)
    notes = {state: note_in(w, state) for state in
             ("draft", "submitted", "sent", "question", "delegated", "renegotiation", "decided")}
    returned = note_in(w, "submitted")
    service.return_to_author(w.manager, returned, "À reprendre.")
    db.session.commit()
    notes["returned"] = returned
    urls = {f"/notes/{note.id}" for note in notes.values()}
    seen = 0
    for persona in [p for p in PERSONAS if p != "anonymous"]:
        user = w.persona(persona)
        named = home.notification_subjects(user, urls)
        for state, note in notes.items():
            db.session.refresh(note)
            may = policy.can_view(user, note)
            assert (f"/notes/{note.id}" in named) == may, (persona, state)
            seen += may
    assert seen >= 20  # the author, the manager, the élu, the concerned agent and the delegatee see some
