"""Stands: élus ask, the service's agents answer, every élu reads the answer unless the question is private."""

import pytest

from tests.forum.helpers import new_elu, new_mandate
from webapp.forum import service


@pytest.fixture
def forum(make):
    mandate = new_mandate(make)
    unit = make.unit("Routes et mobilités")
    asker, _t = new_elu(make, mandate, "Élue Curieuse")
    reader, _t = new_elu(make, mandate, "Élu Lecteur")
    return {"unit": unit, "asker": asker, "reader": reader, "agent": make.agent("Agent Routes", unit=unit),
            "outsider": make.agent("Agent Ailleurs")}


def _ask(client, forum, text, private=False):
    data = {"text": text, **({"private": "1"} if private else {})}
    return client.post(f"/forum/stands/{forum['unit'].id}/questions", data=data)


def test_a_question_is_answered_by_the_service_and_read_by_every_elu(client, forum):
    client.login(forum["asker"])
    assert _ask(client, forum, "Quand la RD12 sera-t-elle refaite ?").status_code == 302
    question = service.questions(forum["asker"], forum["unit"])[0]
    client.login(forum["outsider"])
    assert client.post(f"/forum/questions/{question.id}/answer", data={"answer": "Jamais"}).status_code == 403
    client.login(forum["agent"])
    page = client.get(f"/forum/stands/{forum['unit'].id}").get_data(as_text=True)
    assert "Quand la RD12" in page and "Votre réponse" in page
    assert client.post(f"/forum/questions/{question.id}/answer",
                       data={"answer": "Travaux prévus au printemps 2029."}).status_code == 302
    client.login(forum["reader"])
    page = client.get(f"/forum/stands/{forum['unit'].id}").get_data(as_text=True)
    assert "Travaux prévus au printemps 2029." in page and "Réponse de Agent Routes" in page
    assert "Votre réponse" not in page


def test_a_private_question_stays_between_the_elu_and_the_service(client, forum):
    client.login(forum["asker"])
    _ask(client, forum, "Question confidentielle sur un agent", private=True)
    client.login(forum["reader"])
    assert "confidentielle" not in client.get(f"/forum/stands/{forum['unit'].id}").get_data(as_text=True)
    client.login(forum["agent"])
    assert "confidentielle" in client.get(f"/forum/stands/{forum['unit'].id}").get_data(as_text=True)


def test_only_elus_ask_and_an_empty_question_is_refused(client, forum):
    client.login(forum["agent"])
    assert _ask(client, forum, "Un agent peut-il demander ?").status_code == 403
    client.login(forum["asker"])
    response = _ask(client, forum, "")
    assert response.status_code == 422 and "Ce champ est obligatoire." in response.get_data(as_text=True)


def test_agents_describe_their_stand_and_the_directory_finds_them(client, forum):
    client.login(forum["agent"])
    assert client.post(f"/forum/stands/{forum['unit'].id}", data={
        "missions": "Entretien de 3 000 km de routes", "projects": "Plan vélo"}).status_code == 302
    client.login(forum["reader"])
    page = client.get(f"/forum/stands/{forum['unit'].id}").get_data(as_text=True)
    assert "Entretien de 3 000 km de routes" in page and "Agent Routes" in page
    assert client.post(f"/forum/stands/{forum['unit'].id}", data={"missions": "x"}).status_code == 403
    page = client.get("/forum/directory?q=mobilit").get_data(as_text=True)
    assert "Agent Routes" in page and "Agent Ailleurs" not in page
    page = client.get("/forum/directory?q=plan vélo").get_data(as_text=True)  # a theme of its projects
    assert "Agent Routes" in page and "Agent Ailleurs" not in page


def test_the_api_asks_idempotently_and_answers(client, forum):
    client.login(forum["asker"])
    headers = {"Idempotency-Key": "9b0c8f1e-4a4e-4f1e-9a53-1a2b3c4d5e6f"}
    url = f"/api/v1/forum/stands/{forum['unit'].id}/questions"
    first = client.post(url, json={"text": "Budget 2029 ?"}, headers=headers)
    again = client.post(url, json={"text": "Budget 2029 ?"}, headers=headers)
    assert first.status_code == 201 and again.get_json()["id"] == first.get_json()["id"]
    assert len(client.get(url).get_json()) == 1
    client.login(forum["agent"])
    response = client.post(f"/api/v1/forum/questions/{first.get_json()['id']}/answer", json={"answer": "Voté en mars."})
    assert response.status_code == 200 and response.get_json()["answer"] == "Voté en mars."


def test_the_service_is_notified_of_a_question_and_the_elu_of_the_answer(client, forum):
    from webapp.push import service as push

    client.login(forum["asker"])
    _ask(client, forum, "Où en est le plan vélo ?")
    assert [n.title for n in push.recent(forum["agent"])] == ["Nouvelle question sur le stand de votre service"]
    assert push.recent(forum["outsider"]) == []
    question = service.questions(forum["asker"], forum["unit"])[0]
    client.login(forum["agent"])
    client.post(f"/forum/questions/{question.id}/answer", data={"answer": "Voté en juin."})
    notes = push.recent(forum["asker"])
    assert [n.title for n in notes] == ["Le service a répondu à votre question"]
    assert notes[0].url == f"/forum/stands/{forum['unit'].id}#q-{question.id}"
