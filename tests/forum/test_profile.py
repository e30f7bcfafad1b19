"""The élu fills the profile through its forms: portrait, presentation, constraints, declared interests."""

from io import BytesIO

import pytest

from tests.forum.helpers import new_elu, new_mandate, png
from webapp.extensions import db
from webapp.forum import service


@pytest.fixture
def elu(make, client):
    user, term = new_elu(make, new_mandate(make), "Inès Élue")
    client.login(user)
    return term


def _upload(client, term, data: bytes):
    return client.post(f"/forum/elus/{term.id}/portrait", data={"portrait": (BytesIO(data), "p.png")},
                       content_type="multipart/form-data")


def test_a_square_portrait_is_stored_once_and_shown(client, elu, app):
    assert _upload(client, elu, png(80, 80)).status_code == 302
    assert _upload(client, elu, png(80, 80)).status_code == 302
    profile = service.profile_of(elu)
    assert list(service.portrait_path(profile.portrait_sha256).parent.glob(profile.portrait_sha256 + "*")) == [
        service.portrait_path(profile.portrait_sha256)]
    assert f"/forum/elus/{elu.id}/portrait" in client.get("/forum/profile").get_data(as_text=True)


@pytest.mark.parametrize("data", [png(80, 60), b"GIF89a not a portrait", b""])
def test_a_portrait_that_is_not_a_square_picture_is_refused(client, elu, data):
    response = _upload(client, elu, data)
    assert response.status_code == 422
    assert "carrée PNG ou JPEG" in response.get_data(as_text=True) or "2 Mo" in response.get_data(as_text=True)
    assert service.profile_of(elu) is None or service.profile_of(elu).portrait_sha256 is None


def test_monday_all_day_with_a_reason(client, elu):
    response = client.post(f"/forum/elus/{elu.id}/unavailabilities", data={
        "weekday": "0", "period": "day", "starts_at": "", "ends_at": "", "valid_from": "2028-04-01",
        "valid_until": "", "reason": "activité professionnelle"})
    assert response.status_code == 302
    page = client.get("/forum/profile").get_data(as_text=True)
    assert "Lundi toute la journée" in page and "activité professionnelle" in page


def test_hours_need_an_end_after_the_start(client, elu):
    response = client.post(f"/forum/elus/{elu.id}/unavailabilities", data={
        "weekday": "2", "period": "hours", "starts_at": "14:00", "ends_at": "09:00"})
    assert response.status_code == 422
    assert "Indiquez une heure de début" in response.get_data(as_text=True)
    assert service.unavailabilities(elu) == []
    response = client.post(f"/forum/elus/{elu.id}/unavailabilities", data={
        "weekday": "2", "period": "hours", "starts_at": "09:00", "ends_at": "12:30"})
    assert response.status_code == 302
    assert "Mercredi de 09:00 à 12:30" in client.get("/forum/profile").get_data(as_text=True)


def test_declared_interests_by_category_and_removal(client, elu):
    client.post(f"/forum/elus/{elu.id}/interests", data={"category": "board", "organisation": "Les Amis du Lac",
                                                         "role": "administratrice", "starts_on": "2020-01-01"})
    client.post(f"/forum/elus/{elu.id}/interests", data={"category": "professional",
                                                         "organisation": "Coopérative laitière", "role": "comptable"})
    page = client.get("/forum/profile").get_data(as_text=True)
    assert "Les Amis du Lac" in page and "Coopérative laitière" in page
    item = next(i for i in service.interests(elu) if i.category == "board")
    assert client.post(f"/forum/elus/{elu.id}/interests/{item.id}/delete").status_code == 302
    assert "Les Amis du Lac" not in client.get("/forum/profile").get_data(as_text=True)


def test_an_interest_without_organisation_or_with_an_unknown_category_is_refused(client, elu):
    response = client.post(f"/forum/elus/{elu.id}/interests", data={"category": "board", "organisation": ""})
    assert response.status_code == 422 and "Ce champ est obligatoire." in response.get_data(as_text=True)
    response = client.post(f"/forum/elus/{elu.id}/interests", data={"category": "lobby", "organisation": "X"})
    assert response.status_code == 422 and "Choix invalide." in response.get_data(as_text=True)
    assert service.interests(elu) == []


def test_another_elu_cannot_edit_the_profile(client, elu, make):
    other, _term = new_elu(make, elu.mandate, "Autre")
    client.login(other)
    assert client.post(f"/forum/elus/{elu.id}/presentation", data={"presentation": "pirate"}).status_code == 403
    assert client.post(f"/forum/elus/{elu.id}/interests", data={"category": "board",
                                                                "organisation": "X"}).status_code == 403


def test_the_assemblies_service_fills_the_profile_with_the_elu_and_sees_progress(client, elu, make):
    client.login(make.assemblies())
    assert client.post(f"/forum/elus/{elu.id}/presentation", data={
        "presentation": "Maire adjointe sortante", "themes": "mobilités", "preferred_contact": "téléphone"
    }).status_code == 302
    assert _upload(client, elu, png()).status_code == 302
    page = client.get("/forum/progress").get_data(as_text=True)
    assert "Inès Élue" in page and "Profil complet : 1 / 1" in page and "Consentement : 0 / 1" in page
    db.session.expire_all()
    assert service.profile_of(elu).complete


def test_the_api_reads_and_writes_the_own_profile(client, elu):
    response = client.patch("/api/v1/forum/profile", json={"themes": "eau, forêts", "consent_public": True})
    assert response.status_code == 200 and response.get_json()["themes"] == "eau, forêts"
    response = client.post("/api/v1/forum/profile/unavailabilities", json={"weekday": 0, "period": "morning"})
    assert response.status_code == 201
    response = client.post("/api/v1/forum/profile/interests", json={"category": "mandate", "organisation": "X",
                                                                    "ends_on": "2020-01-01",
                                                                    "starts_on": "2021-01-01"})
    assert response.status_code == 422 and "ends_on" in response.get_json()["error"]["fields"]
    body = client.get("/api/v1/forum/profile").get_json()
    assert body["consent_public"] is True and body["unavailabilities"][0]["period"] == "morning"


def test_the_assemblies_service_reminds_the_elus_whose_profile_is_incomplete(client, elu, make):
    from webapp.push import service as push

    done, done_term = new_elu(make, elu.mandate, "Élu Complet")
    service.update_presentation(done, done_term, {"presentation": "p", "themes": "t", "preferred_contact": "c"})
    service.store_portrait(done, done_term, png())
    db.session.commit()
    client.login(make.assemblies())
    response = client.post("/forum/progress/reminders")
    assert response.status_code == 302
    assert "1 élu(s) relancé(s)." in client.get("/forum/progress").get_data(as_text=True)
    assert [n.title for n in push.recent(elu.user)] == ["Complétez votre profil d’élu"]
    assert push.recent(done) == []
    client.login(elu.user)
    assert client.post("/forum/progress/reminders").status_code == 403


def test_the_profile_reads_in_english_for_an_english_speaking_elu(client, make):
    user = make.user("Jane Élue", language="en")
    from webapp.accounts import service as accounts
    from webapp.organisation.models import Elu

    mandate = new_mandate(make)
    db.session.add(Elu(user=user, mandate=mandate, group=accounts.get_or_create_group("Majorité", "M")))
    db.session.commit()
    client.login(user)
    page = client.get("/forum/profile").get_data(as_text=True)
    assert "Agenda constraints" in page and "Who sees it:" in page and "Monday" in page
