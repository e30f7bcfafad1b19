"""The organisation of the new mandate: who drafts and publishes it (policy matrix), what the élus see
before and after the publication time, the changes listed after it, and the same through pages and API."""

from datetime import time, timedelta

import pytest

from tests.forum.helpers import new_elu, new_mandate
from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.organisation import policy, service


@pytest.fixture
def people(make):
    mandate = new_mandate(make)
    elu, _ = new_elu(make, mandate, "Élue Nouvelle")
    coordinator, _ = new_elu(make, mandate, "Membre du Cercle")
    admin = make.user("Admin", admin=True)
    service.grant_coordination(admin, mandate, coordinator)
    db.session.commit()
    return {"mandate": mandate, "elu": elu, "coordinator": coordinator, "assemblies": make.assemblies(),
            "admin": admin, "agent": make.agent(), "public": None}


def _draft(people):
    body = service.add_body(people["coordinator"], people["mandate"],
                            {"kind": "thematic_commission", "name": "Commission Routes", "theme": "mobilités"})
    post = service.add_post(people["coordinator"], body, {
        "role": "member", "seats": 8, "function_type": "concertation", "hours_per_month": 4, "weekday": 1,
        "nth_week": 2, "starts_at": time(14), "ends_at": time(17)})
    db.session.commit()
    return body, post


DRAFTERS = {"coordinator": True, "assemblies": True, "elu": False, "admin": False, "agent": False,
            "public": False}
GRANTERS = {"coordinator": False, "assemblies": True, "elu": False, "admin": True, "agent": False,
            "public": False}


@pytest.mark.parametrize("who", sorted(DRAFTERS))
def test_only_the_coordination_and_the_assemblies_draft_and_publish(people, who):
    assert policy.can_draft(people[who], people["mandate"]) is DRAFTERS[who]
    assert policy.can_publish(people[who], people["mandate"]) is DRAFTERS[who]


@pytest.mark.parametrize("who", sorted(GRANTERS))
def test_only_an_administrator_or_the_assemblies_grant_the_coordination(people, who):
    assert policy.can_grant_coordination(people[who]) is GRANTERS[who]


@pytest.mark.parametrize("who", sorted(DRAFTERS))
def test_the_draft_is_seen_by_its_drafters_and_once_published_by_everyone_signed_in(people, who):
    mandate = people["mandate"]
    assert policy.can_see(people[who], mandate, published=False) is (DRAFTERS[who] or who == "admin")
    assert policy.can_see(people[who], mandate, published=True) is (who != "public")


def test_the_coordination_is_a_role_held_from_data_for_one_mandate(people, make):
    other = make.mandate("2014-2021")
    assert policy.is_coordinator(people["coordinator"], people["mandate"])
    assert not policy.is_coordinator(people["coordinator"], other)
    with pytest.raises(DomainError):
        service.grant_coordination(people["coordinator"], people["mandate"], people["elu"])


def test_an_elu_cannot_draft(people):
    with pytest.raises(DomainError):
        service.add_body(people["elu"], people["mandate"], {"kind": "external_body", "name": "SEM"})


def test_a_meeting_must_end_after_it_starts(people):
    body, _ = _draft(people)
    with pytest.raises(DomainError):
        service.add_post(people["coordinator"], body, {"role": "member", "function_type": "decision",
                                                       "weekday": 2, "starts_at": time(17), "ends_at": time(14)})


def test_publication_opens_at_its_time_and_later_changes_are_listed(people):
    mandate = people["mandate"]
    _body, post = _draft(people)
    service.schedule_publication(people["coordinator"], mandate, utcnow() + timedelta(hours=2))
    db.session.commit()
    assert not service.is_published(mandate)
    service.update_post(people["coordinator"], post, {"seats": 9})
    assert service.changes(mandate) == []  # a draft's edits are not changes
    assert service.is_published(mandate, now=utcnow() + timedelta(hours=3))
    service.schedule_publication(people["coordinator"], mandate, utcnow() - timedelta(minutes=1))
    db.session.commit()
    assert service.is_published(mandate)
    service.update_post(people["coordinator"], post, {"hours_per_month": 6})
    service.add_body(people["assemblies"], mandate, {"kind": "external_body", "name": "Collège Jean Moulin"})
    db.session.commit()
    assert [(c.action, c.subject) for c in service.changes(mandate)] == [
        ("body_added", "Collège Jean Moulin"), ("post_changed", "Commission Routes — Membre")]
    with pytest.raises(DomainError):
        service.schedule_publication(people["coordinator"], mandate, utcnow() + timedelta(days=1))


def test_an_elu_sees_the_organisation_only_once_published(people, client):
    _draft(people)
    client.login(people["elu"])
    assert client.get("/organisation").status_code == 403
    assert client.get("/api/v1/organisation").status_code == 403
    service.schedule_publication(people["coordinator"], people["mandate"], utcnow() - timedelta(minutes=1))
    db.session.commit()
    page = client.get("/organisation").get_data(as_text=True)
    assert "Commission Routes" in page and "2e mardi 14:00–17:00" in page
    assert "Ajouter un poste" not in page
    data = client.get("/api/v1/organisation").get_json()
    assert data["published"] is True
    assert data["bodies"][0]["posts"][0]["seats"] == 8


def test_the_coordination_drafts_through_the_page(people, client):
    client.login(people["coordinator"])
    response = client.post("/organisation/bodies", data={"kind": "external_body", "name": "SEM Énergies",
                                                         "conflict_category": ["board", "shareholding"]})
    assert response.status_code == 302
    body = service.bodies(people["mandate"])[0]
    assert body.conflict_categories == "board,shareholding"
    refused = client.post(f"/organisation/bodies/{body.id}/posts",
                          data={"role": "titulaire", "function_type": "representation", "weekday": "3",
                                "starts_at": "18:00", "ends_at": "09:00"})
    assert refused.status_code == 422 and "finir après son début" in refused.get_data(as_text=True)
    client.post(f"/organisation/bodies/{body.id}/posts",
                data={"role": "titulaire", "seats": "1", "function_type": "representation",
                      "hours_per_month": "2", "weekday": "3", "nth_week": "1", "starts_at": "18:00",
                      "ends_at": "20:00"})
    page = client.get("/organisation").get_data(as_text=True)
    assert "1er jeudi 18:00–20:00" in page and "représentation" in page
    published = client.post("/organisation/publication", data={"publish_at": "2020-01-01T12:00"})
    assert published.status_code == 302 and service.is_published(people["mandate"])


def test_the_api_drafts_and_refuses_an_elu(people, client):
    client.login(people["elu"])
    assert client.post("/api/v1/organisation/bodies", json={"kind": "external_body", "name": "X"}).status_code == 403
    client.login(people["assemblies"])
    created = client.post("/api/v1/organisation/bodies", json={"kind": "external_body", "name": "CCAS"})
    assert created.status_code == 201
    body_id = created.get_json()["id"]
    bad = client.post(f"/api/v1/organisation/bodies/{body_id}/posts", json={"role": "member", "function_type": "x"})
    assert bad.status_code == 422 and "function_type" in bad.get_json()["error"]["fields"]
    post = client.post(f"/api/v1/organisation/bodies/{body_id}/posts",
                       json={"role": "member", "function_type": "decision", "seats": 3})
    assert post.status_code == 201 and post.get_json()["seats"] == 3


def test_a_vice_presidents_post_delegates_services_chosen_in_the_form(people, client, make):
    roads, schools = make.unit("Service des routes"), make.unit("Service des collèges")
    body, _post = _draft(people)
    client.login(people["coordinator"])
    page = client.get("/organisation").get_data(as_text=True)
    assert "Service des routes" in page  # offered in the form
    client.post(f"/organisation/bodies/{body.id}/posts", data={
        "role": "vice_president", "seats": "1", "function_type": "decision", "hours_per_month": "30",
        "unit_ids": [str(roads.id), str(schools.id)]})
    db.session.expire_all()
    vp = next(p for p in service.bodies(people["mandate"])[0].posts if p.role == "vice_president")
    assert sorted(u.name for u in vp.units) == ["Service des collèges", "Service des routes"]
    refused = client.patch(f"/api/v1/organisation/posts/{vp.id}", json={"unit_ids": [str(body.id)]})
    assert refused.status_code == 422 and refused.get_json()["error"]["fields"] == {"unit_ids": ["unknown"]}
    changed = client.patch(f"/api/v1/organisation/posts/{vp.id}", json={"unit_ids": [str(roads.id)]})
    assert changed.status_code == 200 and changed.get_json()["unit_ids"] == [str(roads.id)]
