"""Wishes at phone size, in Chromium, through clicks and typing: an élu away on Tuesday afternoons opens
her wishes from the organisation page, is refused a wish without justification, wishes the Routes commission
(2e mardi 14:00-17:00) with a justification and sees the agenda alert, answers it; the gauge and the
indemnity simulation change as she adds the commission permanente. axe on the wishes page."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.designation.helpers import elu_with_profile, published_organisation
from tests.support.browser import axe_violations, sign_in

pytestmark = pytest.mark.browser


def _open_body(page, name):
    page.locator("summary", has_text=name).click()
    return page.locator("details", has=page.locator("summary", has_text=name))


def test_an_elu_wishes_posts_on_a_phone_and_sees_alert_gauge_and_simulation(make, phone):
    mandate, _clerk, _posts = published_organisation(make)
    user, _term = elu_with_profile(make, mandate, "Inès Martin")
    page = phone()
    sign_in(page, user, PASSWORD)
    page.get_by_text("Plus").click()
    page.get_by_role("link", name="Organisation").click()
    page.get_by_role("link", name="Mes vœux de désignation").click()
    expect(page.get_by_role("heading", name="Mes vœux de désignation")).to_be_visible()
    expect(page.locator("#gauge-used")).to_have_text("0 h par mois sur 40 h disponibles")
    expect(page.locator("#simulation-amount")).to_contain_text("1 233,16")
    assert axe_violations(page) == []

    routes = _open_body(page, "Commission Routes")
    routes.get_by_role("button", name="Ajouter à mes vœux").click()
    # The browser refuses the empty required box: nothing was added.
    expect(page.get_by_text("Aucun vœu pour l’instant")).to_be_visible()
    routes.get_by_label("Pourquoi ce poste ? (obligatoire)").fill("Élue d’un canton de montagne, routes d’hiver.")
    routes.get_by_role("button", name="Ajouter à mes vœux").click()

    wishes = page.locator("#my-wishes")
    expect(wishes.get_by_text("Alerte agenda")).to_be_visible()
    expect(wishes).to_contain_text("activité professionnelle")
    expect(page.locator("#gauge-used")).to_have_text("4 h par mois sur 40 h disponibles")
    wishes.get_by_label("Ma réponse à l’alerte").fill("Je poserai un jour de congé par mois.")
    wishes.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("#my-wishes").get_by_label("Ma réponse à l’alerte")).to_have_value(
        "Je poserai un jour de congé par mois.")

    before = page.locator("#simulation-amount").inner_text()
    cp = _open_body(page, "Commission permanente")
    cp.get_by_label("Pourquoi ce poste ? (obligatoire)").first.fill("Suivre les décisions du département.")
    cp.get_by_role("button", name="Ajouter à mes vœux").first.click()
    expect(page.locator("#gauge-used")).to_have_text("10 h par mois sur 40 h disponibles")
    expect(page.locator("#simulation-amount")).not_to_have_text(before)
    # Commission permanente: ceiling 2 712,94 €; 6 h décision + 4 h concertation (× 0,75) = 9 of 12 h.
    expect(page.locator("#simulation-amount")).to_contain_text("2 034,71")
    expect(page.locator("#simulation")).to_contain_text("2 712,94")
    page.get_by_label("Heures par mois que je peux donner").fill("8")
    page.get_by_role("button", name="Enregistrer ma disponibilité").click()
    expect(page.get_by_text("Vos vœux dépassent le temps que vous avez déclaré.")).to_be_visible()
    assert axe_violations(page) == []


def test_arbitrate_publish_and_vote_on_a_phone(make, phone):
    """The coordination proposes, adjusts by hand and publishes; the élu is told in the notification centre
    and reads her posts; the assemblies service records the plenary vote."""
    from tests.forum.helpers import new_elu
    from webapp.designation import service
    from webapp.extensions import db
    from webapp.organisation import service as organisation

    mandate, clerk, posts = published_organisation(make)
    coordinator, _ = new_elu(make, mandate, "Chloé Cercle")
    organisation.grant_coordination(clerk, mandate, coordinator)
    user, term = elu_with_profile(make, mandate, "Inès Martin")
    service.add_wish(user, term, posts["foyer"], "Je connais les bénévoles.")
    service.add_wish(user, term, posts["routes"], "Routes d’hiver de mon canton.")
    db.session.commit()

    page = phone()
    sign_in(page, coordinator, PASSWORD)
    page.get_by_text("Plus").click()
    page.get_by_role("link", name="Organisation").click()
    page.get_by_role("link", name="Arbitrage des désignations").click()
    page.get_by_role("button", name="Proposer une répartition").click()
    expect(page.get_by_text("Répartition proposée")).to_be_visible()
    expect(page.get_by_text("Écarté : le poste se réunit sur une indisponibilité déclarée.")).to_be_visible()
    assert axe_violations(page) == []
    # The coordination overrules the unavailability: she said she would take a day off.
    page.get_by_role("button", name="Attribuer : Inès Martin, Commission Routes — Membre").click()
    expect(page.get_by_text("Inès Martin : poste attribué.")).to_be_visible()
    page.get_by_role("button", name="Publier la proposition finale").click()
    expect(page.get_by_text("Proposition finale publiée : chaque élu est prévenu.")).to_be_visible()

    elu_page = phone()
    sign_in(elu_page, user, PASSWORD)
    elu_page.get_by_role("link", name="Notifications").click()
    elu_page.get_by_text("La proposition de répartition des postes est publiée").click()
    expect(elu_page.get_by_role("heading", name="Mes postes proposés")).to_be_visible()
    posts = elu_page.get_by_role("region", name="Postes", exact=True)
    expect(posts.get_by_text("Foyer rural des Crêtes — Titulaire")).to_be_visible()
    expect(posts.get_by_text("Commission Routes — Membre")).to_be_visible()
    expect(elu_page.get_by_text("soumise au vote de l’assemblée plénière")).to_be_visible()
    # Before the plenary she objects to one of her posts, typed on the phone.
    elu_page.get_by_label("une objection").check()
    elu_page.get_by_label("À propos de").select_option(label="Commission Routes — Membre")
    elu_page.get_by_label("Votre texte").fill("Le mardi après-midi, je travaille.")
    elu_page.get_by_role("button", name="Envoyer à la coordination").click()
    # Through the outbox: the page is read again once the coordination has it, and lists it.
    expect(elu_page.locator("#remarks li").get_by_text("Le mardi après-midi, je travaille.")).to_be_visible()
    assert axe_violations(elu_page) == []

    clerk_page = phone()
    sign_in(clerk_page, clerk, PASSWORD)
    clerk_page.get_by_text("Plus").click()
    clerk_page.get_by_role("link", name="Organisation").click()
    clerk_page.get_by_role("link", name="Vote en assemblée plénière").click()
    # The clerk reads it before recording the vote.
    expect(clerk_page.locator("#remarks").get_by_text("Le mardi après-midi, je travaille.")).to_be_visible()
    clerk_page.get_by_label("Pour", exact=True).fill("30")
    clerk_page.get_by_label("Contre", exact=True).fill("12")
    clerk_page.get_by_label("Abstentions").fill("2")
    clerk_page.get_by_role("button", name="Enregistrer le vote").click()
    expect(clerk_page.get_by_text("Vote enregistré : l’organisation prend effet.")).to_be_visible()
    expect(clerk_page.get_by_text("Pour : 30 · contre : 12 · abstentions : 2.")).to_be_visible()
    assert axe_violations(clerk_page) == []

    elu_page.reload()
    expect(elu_page.get_by_text("Adoptée par l’assemblée plénière : ces postes sont les vôtres.")).to_be_visible()


def test_rules_and_annex_pages_on_a_phone(make, phone):
    """The clerk sets the parliamentary base on the rules page by clicking, reads the annex; axe on both."""
    from tests.forum.helpers import new_elu
    from webapp.designation import assigning
    from webapp.extensions import db
    from webapp.organisation import service as organisation

    mandate, clerk, posts = published_organisation(make)
    coordinator, _ = new_elu(make, mandate, "Chloé Cercle")
    organisation.grant_coordination(clerk, mandate, coordinator)
    _vp, vp_term = new_elu(make, mandate, "Valérie Vice")
    assigning.assign(coordinator, vp_term, posts["vp"])
    db.session.commit()

    page = phone()
    sign_in(page, clerk, PASSWORD)
    page.goto("/designation/rules")
    expect(page.get_by_text("CGCT, art. L3122-3").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_text("Modifier le barème et les plafonds").click()
    page.get_by_label("Indemnité parlementaire de base (€ brut par mois)").fill("5782.66")
    page.get_by_label("Source (décret, délibération)").fill("Ordonnance n° 58-1210")
    page.get_by_label("En vigueur depuis").fill("2028-04-01")
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    expect(page.get_by_text("Barème et plafonds enregistrés")).to_be_visible()
    expect(page.locator("#parliamentary-base")).to_contain_text("8 673,99")
    page.get_by_role("button", name="Écarter : Un élu ne préside qu’une commission.").click()
    expect(page.get_by_text("Règle écartée.")).to_be_visible()

    page.goto("/designation/annex")
    expect(page.get_by_role("row", name="Valérie Vice")).to_contain_text("Commission permanente — Vice-président")
    assert axe_violations(page) == []
