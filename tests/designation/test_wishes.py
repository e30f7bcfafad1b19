"""Wishes: ranked and justified; alerts on agenda and interests that explain themselves and never block;
the gauge, the cap and the simulation they change; who sees whose wishes (policy matrix); the page and
the API."""

from decimal import Decimal

import pytest

from tests.designation.helpers import elu_with_profile, published_organisation
from tests.forum.helpers import new_elu
from webapp.core.errors import DomainError
from webapp.designation import policy, service
from webapp.extensions import db
from webapp.organisation import service as organisation


@pytest.fixture
def setup(make):
    mandate, clerk, posts = published_organisation(make)
    user, term = elu_with_profile(make, mandate)
    return {"mandate": mandate, "clerk": clerk, "posts": posts, "user": user, "term": term}


def _wish(s, key, why="Je connais le sujet."):
    wish = service.add_wish(s["user"], s["term"], s["posts"][key], why)
    db.session.commit()
    return wish


def test_a_wish_needs_a_justification(setup):
    with pytest.raises(DomainError) as refused:
        service.add_wish(setup["user"], setup["term"], setup["posts"]["cp"], "   ")
    assert refused.value.fields == {"justification": ["required"]}


def test_no_wish_before_the_organisation_is_published(make):
    mandate, _clerk, posts = published_organisation(make, publish=False)
    user, term = new_elu(make, mandate)
    with pytest.raises(DomainError):
        service.add_wish(user, term, posts["cp"], "Oui")


def test_wishes_are_ranked_and_moved(setup):
    first, second, third = _wish(setup, "cp"), _wish(setup, "routes"), _wish(setup, "sem")
    service.move_wish(setup["user"], third, -1)
    assert [w.id for w in service.wishes(setup["term"])] == [first.id, third.id, second.id]
    service.remove_wish(setup["user"], first)
    assert [(w.rank, w.id) for w in service.wishes(setup["term"])] == [(1, third.id), (2, second.id)]


def test_a_meeting_on_a_declared_unavailability_raises_an_agenda_alert(setup):
    _wish(setup, "routes")  # 2e mardi 14:00-17:00, the élu is away Tuesday afternoons
    alerts = service.analysis(setup["term"])["alerts"][setup["posts"]["routes"].id]
    assert [a["kind"] for a in alerts] == ["agenda"]
    assert "mardi" in alerts[0]["message"] and "activité professionnelle" in alerts[0]["message"]


def test_two_wished_posts_meeting_at_the_same_time_clash(setup):
    _wish(setup, "routes")
    _wish(setup, "college")  # 2e mardi 16:00-18:00 overlaps 14:00-17:00
    alerts = service.analysis(setup["term"])["alerts"][setup["posts"]["college"].id]
    assert any("Commission Routes" in a["message"] for a in alerts)


def test_an_interest_in_the_same_organisation_or_a_marked_category_raises_a_conflict_alert(setup, make):
    _wish(setup, "foyer")
    _wish(setup, "sem")
    alerts = service.analysis(setup["term"])["alerts"]
    assert [a["kind"] for a in alerts[setup["posts"]["foyer"].id]] == ["conflict"]
    assert alerts[setup["posts"]["sem"].id] == []  # the élu holds no shares
    from webapp.forum import service as forum
    forum.add_interest(setup["user"], setup["term"], {"category": "shareholding", "organisation": "Enercoop"})
    assert [a["kind"] for a in service.analysis(setup["term"])["alerts"][setup["posts"]["sem"].id]] == ["conflict"]


def test_an_alert_is_answered_never_blocks(setup):
    wish = _wish(setup, "foyer")
    service.update_wish(setup["user"], wish, {"alert_answer": "Je quitterai la présidence du foyer."})
    db.session.commit()
    assert service.wishes(setup["term"])[0].alert_answer == "Je quitterai la présidence du foyer."


def test_the_gauge_splits_hours_by_function_type_against_availability(setup):
    _wish(setup, "cp")
    _wish(setup, "routes")
    _wish(setup, "sem")
    service.set_availability(setup["user"], setup["term"], 12)
    gauge = service.analysis(setup["term"])["gauge"]
    assert gauge["by_type"] == {"decision": 6, "concertation": 4, "representation": 3}
    assert gauge["used"] == 13 and gauge["available"] == 12 and gauge["over"]


def test_a_vice_president_hits_the_representation_cap_and_the_simulation_changes(setup):
    _wish(setup, "cp")
    before = service.analysis(setup["term"])["simulation"]
    assert before["level"] == "conseiller" and before["ceiling"] == Decimal("2712.94")
    _wish(setup, "vp")
    for key in ("foyer", "sem", "college"):
        _wish(setup, key)
    result = service.analysis(setup["term"])
    assert result["cap"] == {"level": "vice_president", "representations": 3, "limit": 2, "over": True}
    assert result["simulation"]["ceiling"] == Decimal("3452.84")
    assert result["simulation"]["amount"] > before["amount"]


@pytest.mark.parametrize("who,sees", [("owner", True), ("clerk", True), ("coordinator", True),
                                      ("other_elu", False), ("agent", False), ("public", False)])
def test_who_sees_an_elus_wishes_and_justifications(setup, make, who, sees):
    other, _ = new_elu(make, setup["mandate"], "Autre Élu")
    coordinator, _ = new_elu(make, setup["mandate"], "Coordinatrice")
    organisation.grant_coordination(setup["clerk"], setup["mandate"], coordinator)
    people = {"owner": setup["user"], "clerk": setup["clerk"], "coordinator": coordinator, "other_elu": other,
              "agent": make.agent(), "public": None}
    assert policy.can_see_wishes_of(people[who], setup["term"]) is sees
    assert policy.can_wish(people[who], setup["term"]) is (who == "owner")


def test_the_page_adds_a_wish_and_shows_the_alert_gauge_and_simulation(setup, client):
    client.login(setup["user"])
    refused = client.post("/designation/wishes", data={"post_id": str(setup["posts"]["routes"].id)})
    assert refused.status_code == 422 and "Ce champ est obligatoire" in refused.get_data(as_text=True)
    client.post("/designation/wishes", data={"post_id": str(setup["posts"]["routes"].id),
                                             "justification": "Élue d’un canton rural."})
    page = client.get("/designation/wishes").get_data(as_text=True)
    assert "Alerte agenda" in page and "4 h par mois sur 40 h disponibles" in page
    assert "1\u202f233,16\xa0€" in page or "1 233,16" in page.replace("\u202f", " ").replace("\xa0", " ")


def test_the_api_returns_the_analysis_and_refuses_an_unknown_post(setup, client):
    client.login(setup["user"])
    added = client.post("/api/v1/designation/wishes", json={"post_id": str(setup["posts"]["foyer"].id),
                                                            "justification": "Proximité"})
    assert added.status_code == 201
    body = added.get_json()
    assert body["wishes"][0]["alerts"][0]["kind"] == "conflict"
    assert body["cap"]["representations"] == 1 and body["simulation"]["amount"] == "1233.16"
    missing = client.post("/api/v1/designation/wishes", json={"post_id": "00000000-0000-0000-0000-000000000000",
                                                              "justification": "x"})
    assert missing.status_code == 404


def test_the_proposal_from_real_wishes_keeps_seats_and_skips_a_declared_unavailability(setup, make):
    _wish(setup, "routes")  # clashes with her Tuesday afternoons: never proposed
    _wish(setup, "cp")
    others = [new_elu(make, setup["mandate"], f"Élu {n}") for n in range(3)]
    for user, term in others:
        service.add_wish(user, term, setup["posts"]["foyer"], "Canton voisin")  # one seat
    db.session.commit()
    with pytest.raises(DomainError):
        service.propose_assignment(setup["user"], setup["mandate"])
    organisation.grant_coordination(setup["clerk"], setup["mandate"], setup["clerk"])
    proposed = service.propose_assignment(setup["clerk"], setup["mandate"])
    assert (setup["term"].id, setup["posts"]["cp"].id) in proposed
    assert (setup["term"].id, setup["posts"]["routes"].id) not in proposed
    assert sum(1 for _e, p in proposed if p == setup["posts"]["foyer"].id) == 1


def test_the_simulation_is_written_in_the_pages_language(setup, client):
    setup["user"].language = "en"
    db.session.commit()
    client.login(setup["user"])
    page = client.get("/designation/wishes").get_data(as_text=True)
    assert "Indemnity simulation (indicative)" in page and "€1,233.16" in page
