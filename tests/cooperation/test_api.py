"""The anti-manuel's JSON API: read the rules in force and the versions, propose a rule change, agree it
on both sides, read a pair's review figures; other services see nothing, agents do not write, bad input
is a 422 JSON, a stale version a 409."""

from __future__ import annotations

from datetime import timedelta

from tests.cooperation.helpers import agreed_charter, kind, pair
from webapp.cooperation import reviews
from webapp.core.clock import utcnow
from webapp.extensions import db


def test_a_rule_change_proposed_and_agreed_through_the_api(client, make):
    p = pair(make)
    charter = agreed_charter(p, {"decision_courante": {"deadline_days": 7}, "information": {"deadline_days": 7}})
    unit_id, charter_id, info = p.unit.id, charter.id, kind("information").id
    client.login(p.agent)
    read = client.get(f"/api/v1/cooperation/units/{unit_id}")
    assert read.status_code == 200, read.get_json()
    body = read.get_json()
    assert body["in_force"]["number"] == 1 and body["in_force"]["status"] == "agreed"
    assert sorted(r["situation_type"]["key"] for r in body["in_force"]["rules"]) == ["decision_courante",
                                                                                     "information"]
    assert {a["side"] for a in body["in_force"]["agreements"]} == {"elu", "head"}
    change = {"situation_type_id": str(info), "deadline_days": 2}
    assert client.post(f"/api/v1/cooperation/charters/{charter_id}/rules", json=change).status_code == 403

    client.login(p.head)
    bad = client.post(f"/api/v1/cooperation/charters/{charter_id}/rules",
                      json={"situation_type_id": "nope", "deadline_days": 400, "modality": "pigeon"})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"situation_type_id", "deadline_days", "modality"}
    half_quiet = client.post(f"/api/v1/cooperation/charters/{charter_id}/rules",
                             json={"situation_type_id": str(info), "quiet_start": 20})
    assert half_quiet.status_code == 422 and "quiet_start" in half_quiet.get_json()["error"]["fields"]
    draft = client.post(f"/api/v1/cooperation/charters/{charter_id}/rules", json=change)
    assert draft.status_code == 200, draft.get_json()
    draft = draft.get_json()
    assert draft["number"] == 2 and draft["status"] == "draft"
    assert {r["situation_type"]["key"]: r["deadline_days"] for r in draft["rules"]} == {
        "decision_courante": 7, "information": 2}
    stale = client.post(f"/api/v1/cooperation/charters/{charter_id}/propose",
                        json={"version": draft["version"] + 3, "summary": "Informations en 2 jours"})
    assert stale.status_code == 409 and stale.get_json()["error"]["current"]["status"] == "draft"
    proposed = client.post(f"/api/v1/cooperation/charters/{charter_id}/propose",
                           json={"version": draft["version"], "summary": "Informations en 2 jours"})
    assert proposed.status_code == 200 and proposed.get_json()["status"] == "proposed"
    head_ok = client.post(f"/api/v1/cooperation/charters/{charter_id}/agree",
                          json={"version": proposed.get_json()["version"]})
    assert head_ok.status_code == 200 and head_ok.get_json()["status"] == "proposed"

    client.login(p.elu)
    in_force = client.post(f"/api/v1/cooperation/charters/{charter_id}/agree",
                           json={"version": head_ok.get_json()["version"]})
    assert in_force.status_code == 200 and in_force.get_json()["status"] == "agreed"
    again = client.post(f"/api/v1/cooperation/charters/{charter_id}/agree", json={"version": 1})
    assert again.status_code == 404  # no open version any more
    body = client.get(f"/api/v1/cooperation/units/{unit_id}").get_json()
    assert body["in_force"]["number"] == 2 and body["in_force"]["summary"] == "Informations en 2 jours"
    assert [(v["number"], v["status"]) for v in body["versions"]] == [(1, "superseded"), (2, "agreed")]


def test_another_service_sees_nothing_and_the_pair_reads_its_review(client, make):
    p = pair(make)
    charter = agreed_charter(p, {"decision_courante": {"deadline_days": 7}})
    review = reviews.open_review(p.head, charter, p.elu, utcnow() - timedelta(days=182), utcnow())
    db.session.commit()
    unit_id, charter_id, review_id = p.unit.id, charter.id, review.id
    client.login(p.outsider)
    assert client.get(f"/api/v1/cooperation/units/{unit_id}").status_code == 404
    refused = client.post(f"/api/v1/cooperation/charters/{charter_id}/rules",
                          json={"situation_type_id": str(kind("information").id)})
    assert refused.status_code == 404 and "error" in refused.get_json()
    assert client.get(f"/api/v1/cooperation/reviews/{review_id}").status_code == 404
    client.login(p.agent)  # of the service: reads the rules, not the pair's review
    assert client.get(f"/api/v1/cooperation/reviews/{review_id}").status_code == 404
    assert client.get(f"/api/v1/cooperation/charters/{charter_id}/reviews").get_json() == []
    client.post("/logout")
    assert client.get(f"/api/v1/cooperation/units/{unit_id}").status_code == 401

    client.login(p.elu)
    listed = client.get(f"/api/v1/cooperation/charters/{charter_id}/reviews").get_json()
    assert [r["id"] for r in listed] == [str(review_id)]
    figures = client.get(f"/api/v1/cooperation/reviews/{review_id}")
    assert figures.status_code == 200, figures.get_json()
    body = figures.get_json()
    assert body["elu"]["name"] == "Vice-présidente Voirie"
    assert body["total"]["notes"] == 0 and body["excursions"] == 0 and body["proposals"] == []
