"""The JSON API of the arbitration, the plenary vote and the installation week: what the pages do, with
the policy (403), 404 on unknown ids and JSON errors on bad input or a broken rule."""

from tests.designation.helpers import elu_with_profile, published_organisation
from tests.forum.helpers import new_elu
from webapp.designation import service
from webapp.extensions import db
from webapp.organisation import service as organisation


def _setup(make):
    mandate, clerk, posts = published_organisation(make)
    coordinator, _ = new_elu(make, mandate, "Chloé Cercle")
    organisation.grant_coordination(clerk, mandate, coordinator)
    user, term = elu_with_profile(make, mandate, "Inès Martin")
    service.add_wish(user, term, posts["foyer"], "Je connais les bénévoles.")
    service.add_wish(user, term, posts["routes"], "Routes d’hiver.")
    db.session.commit()
    return mandate, clerk, coordinator, user, term, posts


def test_the_coordination_proposes_adjusts_and_publishes_through_the_api(make, client):
    _mandate, _clerk, coordinator, user, term, posts = _setup(make)
    client.login(user)
    assert client.get("/api/v1/designation/arbitration").status_code == 403

    client.login(coordinator)
    board = client.post("/api/v1/designation/arbitration/proposal", json={}).get_json()
    candidates = {c["name"]: c for body in board["bodies"] for post in body["posts"]
                  for c in post["candidates"] if post["post_id"] == str(posts["routes"].id)}
    assert candidates["Inès Martin"]["assigned"] is False
    assert "indisponibilité déclarée" in candidates["Inès Martin"]["why_not"]
    assert candidates["Inès Martin"]["alerts"][0]["kind"] == "agenda"

    given = client.post("/api/v1/designation/arbitration/assignments",
                        json={"elu_id": str(term.id), "post_id": str(posts["routes"].id)})
    assert given.status_code == 201
    holders = [h for body in given.get_json()["bodies"] for post in body["posts"] for h in post["holders"]
               if post["post_id"] == str(posts["routes"].id)]
    assert holders == [{"elu_id": str(term.id), "name": "Inès Martin", "source": "hand"}]
    assert client.post("/api/v1/designation/arbitration/assignments",
                       json={"elu_id": str(term.id), "post_id": "not-a-uuid"}).status_code == 422
    unknown = client.post("/api/v1/designation/arbitration/assignments",
                          json={"elu_id": str(term.id), "post_id": "00000000-0000-0000-0000-000000000000"})
    assert unknown.status_code == 404 and "error" in unknown.get_json()

    published = client.post("/api/v1/designation/arbitration/publication", json={}).get_json()
    assert published["published_at"] is not None
    assert float(published["total"]) > 0 and float(published["envelope"]) >= float(published["total"])


def test_the_assemblies_service_records_the_vote_through_the_api(make, client):
    _mandate, clerk, coordinator, _user, _term, _posts = _setup(make)
    client.login(clerk)
    early = client.post("/api/v1/designation/plenary/votes", json={"mode": "single_list"})
    assert early.status_code == 409 and "Publiez d’abord" in early.get_json()["error"]["message"]
    client.login(coordinator)
    client.post("/api/v1/designation/arbitration/proposal", json={})
    client.post("/api/v1/designation/arbitration/publication", json={})
    assert client.post("/api/v1/designation/plenary/votes", json={"mode": "single_list"}).status_code == 403

    client.login(clerk)
    bad = client.post("/api/v1/designation/plenary/votes", json={"mode": "acclamation"})
    assert bad.status_code == 422 and "mode" in bad.get_json()["error"]["fields"]
    recorded = client.post("/api/v1/designation/plenary/votes",
                           json={"mode": "vote", "votes_for": 30, "votes_against": 12, "abstentions": 2})
    assert recorded.status_code == 201
    body = recorded.get_json()
    assert body["adopted"] is True and body["votes"][0]["votes_for"] == 30
    assert client.get("/api/v1/designation/plenary/votes").get_json()["adopted"] is True
    again = client.post("/api/v1/designation/plenary/votes", json={"mode": "single_list"})
    assert again.status_code == 409


def test_the_week_through_the_api(make, client):
    _mandate, clerk, _coordinator, user, _term, _posts = _setup(make)
    client.login(user)
    assert client.get("/api/v1/designation/calendar").get_json() == {"election_on": None, "steps": []}
    assert client.put("/api/v1/designation/calendar/election", json={"election_on": "2028-03-26"}).status_code == 403

    client.login(clerk)
    week = client.put("/api/v1/designation/calendar/election", json={"election_on": "2028-03-26"}).get_json()
    assert week["election_on"] == "2028-03-26"
    assert [s["key"] for s in week["steps"]] == ["forum_at", "organisation_at", "wishes_reminder",
                                                 "wishes_close_at", "proposal_at", "plenary_at"]
    moved = client.patch("/api/v1/designation/calendar", json={"plenary_at": "2028-03-30T14:00:00"}).get_json()
    assert next(s["at"] for s in moved["steps"] if s["key"] == "plenary_at").startswith("2028-03-30T12:00")
    backwards = client.patch("/api/v1/designation/calendar", json={"wishes_close_at": "2028-04-02T08:00:00"})
    assert backwards.status_code == 422 and "ordre" in backwards.get_json()["error"]["message"]
    assert client.put("/api/v1/designation/calendar/election", json={"election_on": "hier"}).status_code == 422
