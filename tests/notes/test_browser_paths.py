"""At phone size, the other paths of a note through the pages: question back and reply, renegotiation
accepted by the manager, delegation to an agent who records the decision; overdue shown in the inbox."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.notes.helpers import note_in, world
from tests.support.browser import axe_violations, sign_in
from webapp.core.clock import to_paris
from webapp.extensions import db
from webapp.notes import service

pytestmark = pytest.mark.browser


def test_question_renegotiation_and_delegation_through_the_pages(phone, make):
    w = world(make)
    note = note_in(w, "sent")
    url = f"/notes/{note.id}"
    deadline = note.deadline

    elu = phone()
    sign_in(elu, w.elu, PASSWORD)
    elu.goto(url)
    elu.get_by_role("button", name="Question").click()
    elu.get_by_label("Votre question").fill("Quel coût pour tous les sites ?")
    elu.get_by_role("button", name="Envoyer la question").click()
    expect(elu.locator("#note-status")).to_have_text("Question posée à l’auteur")
    expect(elu.locator(".encart")).to_contain_text("Délai suspendu")

    author = phone()
    sign_in(author, w.author, PASSWORD)
    author.get_by_role("link", name=note.title).click()  # from the home page's to-dos
    expect(author.locator("#note-expectation")).to_contain_text("Votre réponse à la question")
    author.get_by_role("button", name="Répondre").click()
    author.get_by_label("Votre réponse").fill("Environ 90 000 euros par an.")
    author.get_by_role("button", name="Envoyer la réponse").click()
    expect(author.locator("#note-status")).to_have_text("Chez l’élu·e")
    db.session.expire_all()
    assert service.get_note(note.id).deadline > deadline  # extended by the time the question waited

    elu.reload()
    assert "Environ 90 000 euros par an." in elu.locator(".answers").inner_text()
    wanted = to_paris(deadline + timedelta(days=10)).date()
    elu.get_by_role("button", name="Plus de temps").click()
    elu.get_by_label("Nouvelle échéance souhaitée").fill(wanted.isoformat())
    elu.get_by_label("Pourquoi ?").fill("Arbitrage budgétaire en cours.")
    elu.get_by_role("button", name="Demander un délai").click()
    expect(elu.locator(".renegotiation")).to_contain_text("En attente de réponse")

    boss = phone()
    sign_in(boss, w.manager, PASSWORD)
    boss.goto(url)
    boss.get_by_role("button", name="Délai demandé").click()
    boss.get_by_role("button", name="Accorder le délai").click()
    expect(boss.locator(".renegotiation")).to_contain_text("Accordé par Cheffe de service")
    assert wanted.strftime("%Y") in boss.locator(".encart .deadline").inner_text()
    db.session.expire_all()
    assert to_paris(service.get_note(note.id).deadline).date() == wanted

    elu.reload()
    elu.get_by_role("button", name="Déléguer").click()
    elu.get_by_label("À qui ?").select_option(label=f"{w.delegatee.name} — {w.delegatee.unit.name}")
    elu.get_by_label("Consignes").fill("Décidez avec la CAF.")
    elu.locator("#panel-delegate").get_by_role("button", name="Déléguer").click()
    expect(elu.locator(".delegation")).to_contain_text("a délégué la décision à Agent Délégataire")

    delegatee = phone()
    sign_in(delegatee, w.delegatee, PASSWORD)
    delegatee.goto("/notifications")
    delegatee.get_by_role("link", name="Décision déléguée").click()
    delegatee.get_by_role("button", name="Décider").click()
    delegatee.get_by_label("Option A").check()
    delegatee.get_by_role("button", name="Enregistrer la décision").click()
    expect(delegatee.locator(".decision")).to_contain_text("Option A retenue")
    assert "par Agent Délégataire" in delegatee.locator(".decision").inner_text()

    author.goto(url)
    assert "Option A retenue" in author.locator(".decision").inner_text()
    author.get_by_text("Historique").click()  # folded at the end of the page
    expect(author.locator(".timeline")).to_contain_text("Décision déléguée")


def test_overdue_note_is_flagged_in_the_inbox_and_escalated(phone, make):
    w = world(make)
    late = note_in(w, "sent", days=3)
    late.deadline = late.sent_at - timedelta(hours=1) + timedelta(minutes=1)
    db.session.commit()
    assert service.send_due_reminders(late.deadline + timedelta(hours=2)) >= 2
    db.session.commit()

    elu = phone()
    sign_in(elu, w.elu, PASSWORD)
    elu.goto("/notes/inbox")
    assert "En retard" in elu.locator("#group-overdue").inner_text()
    boss = phone()
    sign_in(boss, w.manager, PASSWORD)
    boss.goto("/notifications")
    assert boss.get_by_role("link", name="Note en retard").count() == 1
    boss.goto("/notes/figures")
    assert "Élue Destinataire" in boss.locator("table").first.inner_text()
    assert axe_violations(boss) == []


def test_a_new_draft_autosaves_and_is_found_again(phone, make):
    w = world(make)
    page = phone()
    sign_in(page, w.author, PASSWORD)
    page.goto("/notes/new")
    page.get_by_label("Titre").fill("Brouillon sauvegardé tout seul")
    page.get_by_label("Texte de la note").fill("Un premier paragraphe.")
    status = page.get_by_role("status").filter(has_text="Brouillon enregistré automatiquement")
    status.wait_for()
    # Saved a moment after typing stops: wait for that save to be answered.
    with page.expect_response(lambda r: r.request.method == "PATCH" and "/api/v1/notes/" in r.url and r.ok):
        page.get_by_label("Texte de la note").fill("Un premier paragraphe, complété.")
    page.goto("/notes")
    # At 390 px the search button keeps its word on one line (it was cut into "Recher" / "cher").
    search = page.get_by_role("search").get_by_role("button", name="Rechercher")
    lines = search.evaluate("b => { const r = document.createRange(); r.selectNodeContents(b);"
                            " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }")
    assert lines == 1
    page.get_by_role("link", name="Brouillon sauvegardé tout seul").click()
    assert "Un premier paragraphe, complété." in page.locator(".note-body").inner_text()
    page.get_by_role("link", name="Modifier la note").click()
    assert page.get_by_label("Titre").input_value() == "Brouillon sauvegardé tout seul"
