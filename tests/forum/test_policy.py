"""Who sees which part of an élu's profile, and who may act on stands: the policy matrix, then the same
rules through the pages (what a person actually gets)."""

import pytest

from tests.forum.helpers import new_elu, new_mandate, png
from webapp.forum import policy, service
from webapp.forum.models import StandQuestion

PARTS = ("portrait", "presentation", "constraints", "interests")


@pytest.fixture
def people(make):
    mandate = new_mandate(make)
    owner, term = new_elu(make, mandate, "Élue Profil")
    other, _ = new_elu(make, mandate, "Autre Élu")
    return {"term": term, "owner": owner, "other_elu": other, "assemblies": make.assemblies(),
            "agent": make.agent(), "public": None}


EXPECTED = {  # who → the parts they see (consent not given)
    "owner": set(PARTS),
    "assemblies": set(PARTS),
    "other_elu": {"portrait", "presentation"},
    "agent": {"portrait", "presentation"},
    "public": set(),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_person_sees_exactly_their_parts(people, who):
    seen = {p for p in PARTS if policy.can_see_part(people[who], people["term"], p, consent=False)}
    assert seen == EXPECTED[who]


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_consent_opens_the_portrait_to_the_public_and_nothing_else(people, who):
    seen = {p for p in PARTS if policy.can_see_part(people[who], people["term"], p, consent=True)}
    assert seen == EXPECTED[who] | {"portrait"}


@pytest.mark.parametrize("who,allowed", [("owner", True), ("assemblies", True), ("other_elu", False),
                                         ("agent", False), ("public", False)])
def test_only_the_elu_and_the_assemblies_edit_the_profile(people, who, allowed):
    assert policy.can_edit_profile(people[who], people["term"]) is allowed


def test_another_elu_reads_the_presentation_but_not_the_constraints_nor_interests(people, client):
    term = people["term"]
    service.update_presentation(people["owner"], term, {"presentation": "Agricultrice, 20 ans d’associatif",
                                                        "themes": "eau", "preferred_contact": "SMS"})
    service.add_unavailability(people["owner"], term, {"weekday": 0, "period": "day", "reason": "Marché bio"})
    service.add_interest(people["owner"], term, {"category": "association", "organisation": "Les Amis du Lac",
                                                 "role": "trésorière"})
    from webapp.extensions import db
    db.session.commit()
    client.login(people["other_elu"])
    page = client.get(f"/forum/elus/{term.id}").get_data(as_text=True)
    assert "Agricultrice" in page
    assert "Marché bio" not in page and "Les Amis du Lac" not in page and "Contraintes d’agenda" not in page
    client.login(people["assemblies"])
    page = client.get(f"/forum/elus/{term.id}").get_data(as_text=True)
    assert "Marché bio" in page and "Les Amis du Lac" in page


def _status(client, url) -> int:
    response = client.get(url)
    response.close()  # a file response holds the file open until closed
    return response.status_code


def test_the_public_gets_the_portrait_only_after_consent(people, client, app):
    term, owner = people["term"], people["owner"]
    service.store_portrait(owner, term, png())
    from webapp.extensions import db
    db.session.commit()
    assert _status(client, f"/forum/elus/{term.id}/portrait") == 404
    client.login(people["other_elu"])
    assert _status(client, f"/forum/elus/{term.id}/portrait") == 200
    client.login(owner)
    assert client.post(f"/forum/elus/{term.id}/consent", data={"consent_public": "1"}).status_code == 302
    client.post("/logout")
    response = client.get(f"/forum/elus/{term.id}/portrait")
    assert response.status_code == 200 and response.data == png()
    response.close()


def test_the_designation_reads_private_parts_through_the_service(people):
    term = people["term"]
    service.add_interest(people["owner"], term, {"category": "board", "organisation": "SEM Vallée"})
    private = service.private_profile_for_designation(term)
    assert [i.organisation for i in private["interests"]] == ["SEM Vallée"]


def test_private_questions_are_seen_by_their_author_the_service_and_the_assemblies(people, make):
    unit = make.unit("Eau et rivières")
    colleague = make.agent(unit=unit)
    question = StandQuestion(unit=unit, unit_id=unit.id, author_id=people["owner"].id, text="?", private=True)
    seen = {who: policy.can_see_question(people[who], question) for who in EXPECTED}
    assert seen == {"owner": True, "assemblies": True, "other_elu": False, "agent": False, "public": False}
    assert policy.can_see_question(colleague, question) and policy.can_answer(colleague, question)
    assert not policy.can_answer(people["agent"], question)
