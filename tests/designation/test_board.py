"""The pages after the wishes, as each person uses them: the coordination's arbitration board, the élu's
proposed posts, the plenary vote recorded by the assemblies service."""

import pytest

from tests.designation.helpers import elu_with_profile, published_organisation
from tests.forum.helpers import new_elu
from webapp.designation import plenary, service
from webapp.extensions import db
from webapp.organisation import service as organisation


@pytest.fixture
def setup(make):
    mandate, clerk, posts = published_organisation(make)
    coordinator, _ = new_elu(make, mandate, "Membre du Cercle")
    organisation.grant_coordination(clerk, mandate, coordinator)
    user, term = elu_with_profile(make, mandate)
    service.add_wish(user, term, posts["foyer"], "Je préside le foyer voisin.")
    service.add_wish(user, term, posts["routes"], "Les routes de mon canton.")
    db.session.commit()
    return {"mandate": mandate, "clerk": clerk, "posts": posts, "user": user, "term": term,
            "coordinator": coordinator}


def test_only_the_coordination_opens_the_board_and_only_the_clerk_the_vote(setup, client):
    for person, board, vote in ((setup["user"], 403, 403), (setup["clerk"], 403, 200),
                                (setup["coordinator"], 200, 403)):
        client.login(person)
        assert client.get("/designation/arbitration").status_code == board
        assert client.get("/designation/plenary").status_code == vote
        client.get("/logout")


def test_propose_adjust_publish_and_vote_through_the_pages(setup, client):
    s = setup
    client.login(s["coordinator"])
    page = client.get("/designation/arbitration").get_data(as_text=True)
    assert "Je préside le foyer voisin." in page and "risque de conflit d’intérêts" in page
    page = client.post("/designation/arbitration/propose", data={}, follow_redirects=True).get_data(as_text=True)
    assert "Répartition proposée" in page and "Attribué" in page
    assert "indisponibilité déclarée" in page  # the routes wish, on her Tuesday afternoons
    response = client.post("/designation/arbitration/assign",
                           data={"elu_id": s["term"].id, "post_id": s["posts"]["routes"].id}, follow_redirects=True)
    assert "poste attribué" in response.get_data(as_text=True)
    full = client.post("/designation/arbitration/assign",
                       data={"elu_id": s["term"].id, "post_id": s["posts"]["sem"].id})
    assert full.status_code == 302  # a free seat: given by hand though she never wished it
    page = client.post("/designation/arbitration/publish", follow_redirects=True).get_data(as_text=True)
    assert "chaque élu est prévenu" in page
    client.get("/logout")

    client.login(s["user"])
    mine = client.get("/designation/mine").get_data(as_text=True)
    assert "Commission Routes" in mine and "SEM Énergies" in mine and "soumise au vote" in mine
    client.get("/logout")

    client.login(s["clerk"])
    refused = client.post("/designation/plenary", data={"mode": "vote", "votes_for": "-3"})
    assert refused.status_code == 422
    page = client.post("/designation/plenary", data={"mode": "single_list"},
                       follow_redirects=True).get_data(as_text=True)
    assert "l’organisation prend effet" in page and "Liste unique" in page
    assert plenary.adopted(s["mandate"]) is not None
    client.get("/logout")
    client.login(s["user"])
    assert "ces postes sont les vôtres" in client.get("/designation/mine").get_data(as_text=True)
