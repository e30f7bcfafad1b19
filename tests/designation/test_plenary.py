"""The plenary vote recorded by the assemblies service, and what adoption changes for the rest of Tandem:
functions (closed ones kept with an end date), commission members, and where a note is routed."""

import pytest

from tests.designation.helpers import published_organisation
from tests.forum.helpers import new_elu
from webapp.accounts import roles
from webapp.core.errors import DomainError
from webapp.designation import assigning, plenary, policy, service
from webapp.extensions import db
from webapp.notes import service as notes
from webapp.organisation import service as organisation
from webapp.organisation.models import Commission, EluFunction


@pytest.fixture
def setup(make):
    """The organisation of the current mandate (the one notes route by), proposed and published: the new
    VP for roads, an outgoing VP who held the roads delegation, a member of the Commission Routes."""
    mandate = make.mandate()
    roads = make.unit("Service des routes")
    outgoing = make.elu("Ancien VP", functions=[{"kind": "vice_president", "delegation": "Routes"}], units=[roads])
    mandate, clerk, posts = published_organisation(make, mandate=mandate)
    posts["vp"].units = [roads]
    coordinator, _ = new_elu(make, mandate, "Membre du Cercle")
    organisation.grant_coordination(clerk, mandate, coordinator)
    vp, vp_term = new_elu(make, mandate, "Nouvelle VP")
    member, member_term = new_elu(make, mandate, "Membre Routes")
    for user, term, key in ((vp, vp_term, "vp"), (member, member_term, "routes")):
        service.add_wish(user, term, posts[key], "Mon domaine.")
    assigning.propose(coordinator, mandate)
    assigning.publish(coordinator, mandate)
    db.session.commit()
    return {"mandate": mandate, "clerk": clerk, "coordinator": coordinator, "posts": posts, "vp": vp,
            "member": member, "outgoing": outgoing, "roads": roads, "author": make.agent(unit=roads)}


def test_only_the_assemblies_service_records_the_vote(setup):
    assert policy.can_record_vote(setup["clerk"])
    assert not policy.can_record_vote(setup["coordinator"])
    with pytest.raises(DomainError) as refused:
        plenary.record_vote(setup["coordinator"], setup["mandate"], {"mode": "single_list"})
    assert refused.value.status == 403


def test_no_vote_before_the_final_proposal_is_published(make):
    mandate, clerk, _posts = published_organisation(make)
    with pytest.raises(DomainError) as refused:
        plenary.record_vote(clerk, mandate, {"mode": "single_list"})
    assert refused.value.status == 409


def test_a_rejected_vote_changes_nobody(setup):
    vote = plenary.record_vote(setup["clerk"], setup["mandate"],
                               {"mode": "vote", "votes_for": 20, "votes_against": 25, "abstentions": 3})
    db.session.commit()
    assert not vote.adopted
    assert notes.suggested_addressees(setup["author"]) == [setup["outgoing"]]


def test_once_adopted_a_note_on_roads_goes_to_the_new_vp(setup):
    s = setup
    assert notes.suggested_addressees(s["author"]) == [s["outgoing"]]
    vote = plenary.record_vote(s["clerk"], s["mandate"], {"mode": "vote", "votes_for": 30, "votes_against": 12,
                                                           "abstentions": 2, "by_group": "Majorité : 30 pour"})
    db.session.commit()
    assert vote.adopted
    assert notes.suggested_addressees(s["author"]) == [s["vp"]]
    assert "vice_president" in roles.roles_of(s["vp"]) and "vice_president" not in roles.roles_of(s["outgoing"])
    closed = db.session.scalars(db.select(EluFunction).where(EluFunction.ended_on.is_not(None))).all()
    assert [f.elu.user for f in closed] == [s["outgoing"]]  # history kept, with its end date
    routes = db.session.scalar(db.select(Commission).where(Commission.name == "Commission Routes"))
    assert [u.name for u in routes.members] == ["Membre Routes"]
    with pytest.raises(DomainError):
        plenary.record_vote(s["clerk"], s["mandate"], {"mode": "single_list"})


def test_a_single_list_takes_effect_at_once(setup):
    vote = plenary.record_vote(setup["clerk"], setup["mandate"], {"mode": "single_list", "votes_for": 9})
    db.session.commit()
    assert vote.adopted and vote.votes_for == 0
    assert notes.suggested_addressees(setup["author"]) == [setup["vp"]]
