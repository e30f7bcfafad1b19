"""The coordination's arbitration: the solver's proposal stored and explained ("why not me"), the groups'
proportional share by highest average, hand changes, the final proposal published to every élu; and who
may do it (only the coordination)."""

import pytest

from tests.designation.helpers import elu_with_profile, published_organisation
from tests.forum.helpers import new_elu
from webapp.core.errors import DomainError
from webapp.designation import arbitration, assigning, policy, service
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.push.models import Notification


@pytest.fixture
def setup(make):
    mandate, clerk, posts = published_organisation(make)
    coordinator, _term = new_elu(make, mandate, "Membre du Cercle")
    organisation.grant_coordination(clerk, mandate, coordinator)
    user, term = elu_with_profile(make, mandate)
    db.session.commit()
    return {"mandate": mandate, "clerk": clerk, "posts": posts, "user": user, "term": term,
            "coordinator": coordinator}


def _wish(user, term, post, why="Je connais le sujet."):
    wish = service.add_wish(user, term, post, why)
    db.session.commit()
    return wish


def test_only_the_coordination_arbitrates(setup):
    assert policy.can_arbitrate(setup["coordinator"], setup["mandate"])
    for someone in (setup["clerk"], setup["user"]):
        assert not policy.can_arbitrate(someone, setup["mandate"])
        with pytest.raises(DomainError) as refused:
            assigning.propose(someone, setup["mandate"])
        assert refused.value.status == 403
        with pytest.raises(DomainError):
            assigning.assign(someone, setup["term"], setup["posts"]["cp"])
        with pytest.raises(DomainError):
            assigning.publish(someone, setup["mandate"])


def test_the_proposal_is_stored_and_each_unsatisfied_wish_says_why(setup, make):
    s = setup
    _wish(s["user"], s["term"], s["posts"]["foyer"])
    _wish(s["user"], s["term"], s["posts"]["routes"])  # on her Tuesday afternoons
    rival, rival_term = new_elu(make, s["mandate"], "Élu Rival")
    _wish(rival, rival_term, s["posts"]["cp"])
    _wish(rival, rival_term, s["posts"]["foyer"])  # one seat, her first choice outranks his second
    chosen = assigning.propose(s["coordinator"], s["mandate"])
    db.session.commit()
    assert (s["term"].id, s["posts"]["foyer"].id) in chosen
    assert {(a.elu_id, a.post_id) for a in assigning.assignments(s["mandate"])} == chosen
    why = assigning.explanations(s["mandate"])
    assert "indisponibilité" in why[(s["term"].id, s["posts"]["routes"].id)]
    assert "mieux classés" in why[(rival_term.id, s["posts"]["foyer"].id)]
    assert (rival_term.id, s["posts"]["cp"].id) not in why  # satisfied: nothing to explain
    cards = {p["post"].id: p for b in assigning.board(s["mandate"]) for p in b["posts"]}
    foyer = cards[s["posts"]["foyer"].id]["candidates"]
    assert [(c["wish"].elu.user.name, c["assigned"]) for c in foyer] == [("Élue Vœux", True), ("Élu Rival", False)]
    assert foyer[0]["alerts"][0]["kind"] == "conflict"  # she chairs the Foyer: the coordination sees it


def test_seats_are_shared_by_highest_average():
    assert arbitration.highest_average(7, {"A": 10, "B": 6, "C": 3}) == {"A": 4, "B": 2, "C": 1}


def test_the_groups_proportional_share_is_an_optional_constraint(setup, make):
    s = setup
    commission = organisation.add_body(s["clerk"], s["mandate"], {"kind": "thematic_commission",
                                                                  "name": "Commission Culture"})
    culture = organisation.add_post(s["clerk"], commission, {"role": "member", "seats": 2,
                                                             "function_type": "concertation"})
    db.session.commit()
    majority = [new_elu(make, s["mandate"], f"Majorité {n}") for n in range(2)]
    opposition = [new_elu(make, s["mandate"], f"Opposition {n}", group="Opposition") for n in range(3)]
    for user, term in majority:
        _wish(user, term, culture)
    for user, term in opposition:
        _wish(user, term, s["posts"]["sem"])
        _wish(user, term, culture)
    without = assigning.propose(s["coordinator"], s["mandate"])
    assert {e for e, p in without if p == culture.id} == {t.id for _u, t in majority}
    shared = assigning.propose(s["coordinator"], s["mandate"], proportional=True)
    groups = sorted(t.group.name for _u, t in majority + opposition if (t.id, culture.id) in shared)
    assert groups == ["Majorité", "Opposition"]
    why = assigning.explanations(s["mandate"], proportional=True)
    left_out = next(t for _u, t in majority if (t.id, culture.id) not in shared)
    assert "part proportionnelle" in why[(left_out.id, culture.id)]


def test_the_coordination_adjusts_by_hand_within_the_seats(setup, make):
    s = setup
    _wish(s["user"], s["term"], s["posts"]["foyer"])
    _other, other_term = new_elu(make, s["mandate"], "Élu Second")
    assigning.propose(s["coordinator"], s["mandate"])
    with pytest.raises(DomainError) as full:
        assigning.assign(s["coordinator"], other_term, s["posts"]["foyer"])
    assert full.value.status == 409
    assigning.unassign(s["coordinator"], s["term"], s["posts"]["foyer"])
    row = assigning.assign(s["coordinator"], other_term, s["posts"]["foyer"])
    db.session.commit()
    assert row.source == "hand"
    assert [(a.elu_id, a.post_id) for a in assigning.assignments(s["mandate"])] == [(other_term.id,
                                                                                  s["posts"]["foyer"].id)]


def test_publishing_notifies_every_elu_who_then_sees_their_posts(setup, make):
    s = setup
    _wish(s["user"], s["term"], s["posts"]["cp"])
    assigning.propose(s["coordinator"], s["mandate"])
    assert assigning.mine(s["term"]) is None  # nothing shown before publication
    assigning.publish(s["coordinator"], s["mandate"])
    db.session.commit()
    told = db.session.scalars(db.select(Notification).where(Notification.kind == "designation.proposal")).all()
    assert {n.user_id for n in told} == {s["user"].id, s["coordinator"].id}
    assert told[0].url == "/designation/mine"
    mine = assigning.mine(s["term"])
    assert [p.id for p in mine["posts"]] == [s["posts"]["cp"].id]
    assert mine["gauge"]["used"] == 6


def test_the_elu_reads_why_a_wish_was_not_kept(setup, make):
    s = setup
    _wish(s["user"], s["term"], s["posts"]["cp"])
    _wish(s["user"], s["term"], s["posts"]["routes"])  # on her Tuesday afternoons
    assigning.propose(s["coordinator"], s["mandate"])
    assigning.publish(s["coordinator"], s["mandate"])
    db.session.commit()
    left_out = [(w.post_id, why) for w, why in assigning.mine(s["term"])["left_out"]]
    assert left_out == [(s["posts"]["routes"].id,
                         "Écarté : le poste se réunit sur une indisponibilité déclarée.")]
