"""At phone size, in separate browser contexts: an agent drafts a note with options and an argued
deadline, the manager amends the deadline, the élu opens it from the inbox, annotates a passage and
chooses option B; the author and a concerned agent see the decision. axe-core on the pages involved."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.notes.helpers import note_in, world
from tests.support.browser import axe_violations, sign_in
from webapp.core.clock import to_paris, utcnow

pytestmark = pytest.mark.browser

BODY = ("Le service propose d’ouvrir les lieux d’accueil le samedi matin.\n\n"
        "Le coût annuel est estimé à 40 000 euros pour deux sites pilotes.")


def _day(days: int) -> str:
    return to_paris(utcnow() + timedelta(days=days)).date().isoformat()


def test_note_from_draft_to_decision_on_phones(phone, make):
    unit = make.unit("Enfance et famille")
    manager, author = make.manager_with_agent(unit)
    concerned = make.agent("Nadia Concernée", unit=unit, manager=manager)
    elu = make.elu("Martine Élue", functions=[{"kind": "vice_president", "delegation": "Enfance", "units": [unit]}])

    # The agent drafts the note, with two options and an argued deadline.
    agent = phone()
    sign_in(agent, author, PASSWORD)
    agent.get_by_role("link", name="Notes").first.click()
    agent.get_by_role("link", name="Rédiger une note").click()
    assert axe_violations(agent) == []
    agent.get_by_label("Titre").fill("Ouverture des lieux d’accueil le samedi")
    agent.get_by_label("Texte de la note").fill(BODY)
    agent.get_by_label("Martine Élue").check()
    agent.get_by_label("Nadia Concernée").check()
    agent.get_by_label("Option A").fill("Deux sites pilotes")
    agent.get_by_label("Option B").fill("Tous les sites dès septembre")
    agent.get_by_label("Réponse attendue au plus tard le").fill(_day(5))
    agent.get_by_label("Pourquoi ce délai ?").fill("Le budget supplémentaire est voté le mois prochain.")
    agent.get_by_role("button", name="Soumettre à mon encadrant·e").click()
    assert agent.locator("#note-status").inner_text() == "Chez votre encadrant·e"
    note_url = agent.url

    # The manager finds it on the home page and amends the deadline with a comment.
    boss = phone()
    sign_in(boss, manager, PASSWORD)
    boss.get_by_role("link", name="Ouverture des lieux d’accueil le samedi").click()
    assert axe_violations(boss) == []
    expect(boss.locator("#note-expectation")).to_have_text("Délai à convenir : la note attend votre accord pour partir")
    boss.get_by_role("button", name="Convenir du délai").click()
    boss.get_by_label("Réponse attendue au plus tard le").fill(_day(8))
    boss.get_by_label("Commentaire (obligatoire si vous modifiez le délai, ou pour renvoyer la note)").fill(
        "Laissons le temps de consulter la CAF.")
    boss.get_by_role("button", name="Convenir et transmettre").click()
    expect(boss.locator("#note-pending")).to_contain_text("Accord sur le délai : Convenir et transmettre · Envoyé")
    expect(boss.locator(".encart")).to_contain_text("Laissons le temps de consulter la CAF.")

    # Before the élu opens it, the agent sees it is not read yet.
    agent.goto(note_url)
    assert "Pas encore lu par Martine Élue" in agent.locator(".receipts").inner_text()

    # The élu finds it in the inbox and opens it.
    mayor = phone()
    sign_in(mayor, elu, PASSWORD)
    mayor.goto("/notes/inbox")
    assert axe_violations(mayor) == []
    mayor.get_by_role("link", name="Ouverture des lieux d’accueil le samedi").click()
    assert "Laissons le temps de consulter la CAF." in mayor.locator(".encart").inner_text()
    assert axe_violations(mayor) == []

    agent.reload()
    assert "Lu par Martine Élue le" in agent.locator(".receipts").inner_text()

    # She annotates a passage, then chooses option B.
    mayor.get_by_role("button", name="Annoter").click()
    mayor.get_by_label("Passage cité").fill("40 000 euros")
    mayor.get_by_label("Votre annotation").fill("Chiffrage à confirmer avec les finances.")
    mayor.locator("#panel-annotate").get_by_role("button", name="Annoter").click()
    expect(mayor.locator(".answers")).to_contain_text("Chiffrage à confirmer avec les finances.")  # reloaded
    expect(mayor.locator("#note-pending")).to_contain_text("Annotation · Envoyé")
    mayor.get_by_role("button", name="Décider").click()
    mayor.get_by_label("Option B").check()
    mayor.get_by_label("Commentaire (facultatif)").fill("Allons-y pour tous les sites.")
    mayor.get_by_role("button", name="Enregistrer la décision").click()
    expect(mayor.locator(".decision")).to_contain_text("Option B retenue")

    # The author and the concerned agent see the decision and the annotation.
    agent.reload()
    assert "Option B retenue : Tous les sites dès septembre" in agent.locator(".decision").inner_text()
    assert "40 000 euros" in agent.locator(".answers").inner_text()
    colleague = phone()
    sign_in(colleague, concerned, PASSWORD)
    colleague.goto("/notifications")
    colleague.get_by_role("link", name="Décision rendue").click()
    assert "Option B retenue" in colleague.locator(".decision").inner_text()
    assert "Chiffrage à confirmer avec les finances." in colleague.locator(".answers").inner_text()
    assert colleague.evaluate("document.documentElement.scrollWidth") <= 390


def test_manager_returns_a_note_from_the_phone(phone, make):
    # The agreement panel's second button goes to the note's own "return" endpoint through the outbox.
    w = world(make)
    note = note_in(w, "submitted")
    boss = phone()
    sign_in(boss, w.manager, PASSWORD)
    boss.goto(f"/notes/{note.id}")
    boss.get_by_role("button", name="Convenir du délai").click()
    boss.get_by_label("Commentaire (obligatoire si vous modifiez le délai, ou pour renvoyer la note)").fill(
        "Précisez le coût par site.")
    boss.get_by_role("button", name="Renvoyer à l’auteur").click()
    expect(boss.locator("#note-pending")).to_contain_text("Accord sur le délai : Renvoyer à l’auteur · Envoyé")
    agent = phone()
    sign_in(agent, w.author, PASSWORD)
    agent.goto(f"/notes/{note.id}")
    expect(agent.locator("#note-status")).to_have_text("À reprendre")
    expect(agent.locator("main")).to_contain_text("Précisez le coût par site.")
