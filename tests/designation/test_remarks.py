"""Questions and objections on the final proposal (issue 14 item 6), as each person meets them: the élu
writes one on their page between the publication and the plenary; the coordination and the assemblies
service read them all (told by a notification that carries none of the text); other élus read none."""

import pytest

from tests.conftest import PASSWORD
from tests.designation.helpers import published_organisation
from tests.forum.helpers import new_elu
from tests.pwa.conftest import send_now, wait_controlled
from tests.support.browser import sign_in
from webapp.designation import assigning, plenary, service
from webapp.designation.models import Remark
from webapp.extensions import db
from webapp.organisation import service as organisation
from webapp.push.models import Notification

OBJECTION = "Je siège déjà au conseil d’administration du collège : la SEM me ferait manquer ses séances."


@pytest.fixture
def setup(make):
    mandate, clerk, posts = published_organisation(make)
    coordinator, _ = new_elu(make, mandate, "Membre du Cercle")
    organisation.grant_coordination(clerk, mandate, coordinator)
    user, term = new_elu(make, mandate, "Élue Remarques")
    other, _ = new_elu(make, mandate, "Autre Élu")
    service.add_wish(user, term, posts["sem"], "L’énergie de mon canton.")
    db.session.commit()
    return {"mandate": mandate, "clerk": clerk, "coordinator": coordinator, "posts": posts, "user": user,
            "term": term, "other": other}


def publish(s):
    assigning.propose(s["coordinator"], s["mandate"])
    assigning.publish(s["coordinator"], s["mandate"])
    db.session.commit()


def test_before_the_proposal_is_published_there_is_nothing_to_object_to(setup, client):
    client.login(setup["user"])
    assert client.get("/designation/mine").status_code == 200
    answer = client.post("/api/v1/designation/remarks", json={"kind": "question", "text": "Quand ?"})
    assert answer.status_code == 409 and "pas encore publiée" in answer.get_json()["error"]["message"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Remark)) == 0


def test_an_objection_on_a_post_reaches_the_coordination_and_the_assemblies_but_no_other_elu(setup, client):
    s = setup
    publish(s)
    client.login(s["user"])
    page = client.get("/designation/mine").get_data(as_text=True)
    assert "Questions et objections" in page and "SEM Énergies" in page
    sent = client.post("/designation/mine/remarks", data={"kind": "objection", "post_id": s["posts"]["sem"].id,
                                                          "text": OBJECTION}, follow_redirects=True)
    page = sent.get_data(as_text=True)
    assert "Objection envoyée à la coordination." in page and "Vos envois" in page
    assert "la SEM me ferait manquer" in page
    client.get("/logout")

    for reader, url in ((s["coordinator"], "/designation/arbitration"), (s["clerk"], "/designation/plenary")):
        client.login(reader)
        page = client.get(url).get_data(as_text=True)
        assert "Élue Remarques" in page and "la SEM me ferait manquer" in page, url
        told = db.session.scalars(db.select(Notification).where(Notification.user_id == reader.id,
                                                                Notification.kind == "designation.remark")).all()
        assert len(told) == 1 and "SEM" not in told[0].title + told[0].body  # the text stays in Tandem
        client.get("/logout")

    client.login(s["other"])
    assert "la SEM me ferait manquer" not in client.get("/designation/mine").get_data(as_text=True)
    assert client.get("/designation/arbitration").status_code == 403
    assert client.get("/api/v1/designation/remarks").get_json() == []


def test_an_empty_text_is_refused_with_the_field_named_and_the_choice_kept(setup, client):
    publish(setup)
    client.login(setup["user"])
    answer = client.post("/designation/mine/remarks", data={"kind": "objection", "text": "   "})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'id="remark-text-error"' in page
    assert 'value="objection" checked' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Remark)) == 0


def test_a_post_of_another_organisation_is_refused(setup, client, make):
    publish(setup)
    # The outgoing mandate's bodies (the forum's mandate is the new one).
    _, _, elsewhere = published_organisation(make, publish=False, mandate=make.mandate())
    client.login(setup["user"])
    answer = client.post("/api/v1/designation/remarks",
                         json={"kind": "question", "text": "Et ce poste ?", "post_id": str(elsewhere["sem"].id)})
    assert answer.status_code == 422 and "post_id" in answer.get_json()["error"]["fields"]


def test_once_the_plenary_adopted_it_no_remark_is_taken_but_the_earlier_ones_stay(setup, client):
    s = setup
    publish(s)
    client.login(s["user"])
    assert client.post("/api/v1/designation/remarks", json={"kind": "question", "text": "Quel rythme ?"}
                       ).status_code == 201
    plenary.record_vote(s["clerk"], s["mandate"], {"mode": "single_list"})
    db.session.commit()
    late = client.post("/api/v1/designation/remarks", json={"kind": "objection", "text": "Trop tard ?"})
    assert late.status_code == 409 and "a voté" in late.get_json()["error"]["message"]
    page = client.get("/designation/mine").get_data(as_text=True)
    assert "Quel rythme ?" in page and "Envoyer à la coordination" not in page
    assert [r["text"] for r in client.get("/api/v1/designation/remarks").get_json()] == ["Quel rythme ?"]


@pytest.mark.browser
def test_an_objection_written_offline_leaves_once_when_the_network_returns(setup, phone):
    """In a train, on her phone: the form keeps the objection on the device (cleared, so it cannot go twice),
    and once the network is back it reaches the coordination once and shows in "Vos envois"."""
    from playwright.sync_api import expect

    s = setup
    publish(s)
    page = phone()
    sign_in(page, s["user"], PASSWORD)
    page.goto("/designation/mine")
    wait_controlled(page)
    page.context.set_offline(True)
    page.get_by_label("une objection").check()
    about = page.get_by_label("À propos de")
    about.select_option(label=about.locator("option", has_text="SEM Énergies").inner_text())
    page.get_by_label("Votre texte").fill(OBJECTION)
    page.get_by_role("button", name="Envoyer à la coordination").click()
    expect(page.get_by_text("Enregistré sur l’appareil, envoi dès que possible.")).to_be_visible()
    expect(page.get_by_label("Votre texte")).to_have_value("")
    assert db.session.scalar(db.select(db.func.count()).select_from(Remark)) == 0

    page.context.set_offline(False)
    send_now(page)
    expect(page.locator("#remarks li").get_by_text(OBJECTION)).to_be_visible()  # the page read again
    db.session.expire_all()
    remarks = db.session.scalars(db.select(Remark)).all()
    assert [(r.kind, r.post_id, r.text) for r in remarks] == [("objection", s["posts"]["sem"].id, OBJECTION)]
