"""Issue 10: the élu's phone, for real. Online, the inbox is opened; offline, three notes never opened
before are read and answered through the page's own buttons; the answers wait on the device (shown
pending, even after the app was closed), then reach each author exactly once. Without "Rester
connecté" the session is gone by then: the outbox banner leads to the sign-in, and the queue resumes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.notes.helpers import BODY, world
from tests.pwa.conftest import eventually, wait_controlled, wait_js
from tests.support.browser import axe_violations
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes import service
from webapp.notes.models import Answer, Delegation, Note, NoteAddressee

pytestmark = pytest.mark.browser

TITLES = ("Horaires des crèches l’été", "Convention avec la CAF", "Travaux du collège Jean-Moulin")


def three_notes(w) -> list[Note]:
    notes = []
    for title, options in zip(TITLES, (["Deux sites pilotes", "Tous les sites"], [], []), strict=True):
        note = service.create_note(w.author, title=title, body=BODY, addressee_ids=[w.elu.id], options=options,
                                   proposed_deadline=utcnow() + timedelta(days=3),
                                   proposed_argument="Le vote a lieu juste après.")
        service.submit(w.author, note)
        service.agree(w.manager, note)
        notes.append(note)
    db.session.commit()
    return notes


def sign_in(page, user, *, remember: bool) -> None:
    page.goto("/login")
    page.get_by_label("Adresse e-mail professionnelle").fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    if remember:
        page.get_by_label("Rester connecté sur cet appareil").check()
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def stored_ahead(page, notes) -> None:
    """Until the service worker has stored the three note pages (nothing is clicked meanwhile)."""
    urls = [f"/notes/{n.id}" for n in notes]
    wait_js(page, f"Promise.all({urls!r}.map(u => caches.match(u, {{cacheName: 'tandem-ahead'}})))"
                  ".then(all => all.every(Boolean))", timeout=20)


def open_note(page, note) -> None:
    """Click the note in the inbox; the action bar works once the page's script has run (aria-expanded)."""
    page.get_by_role("link", name=note.title).click()
    expect(page.locator(".action-bar [aria-expanded]").first).to_be_attached()


def answer_three_notes_offline(page, w, notes) -> None:
    decide, delegate, annotate = notes
    open_note(page, decide)
    expect(page.locator(".offline-copy")).to_contain_text("Hors ligne · à jour de")
    expect(page.locator("#note-expectation")).to_contain_text("Décision attendue avant le")
    page.get_by_role("button", name="Décider").click()
    page.get_by_label("Option B : Tous les sites").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("#note-pending")).to_contain_text("Décision : Option B · En attente d’envoi")

    page.get_by_role("link", name="Notes", exact=True).click()
    open_note(page, delegate)
    page.get_by_role("button", name="Déléguer").click()
    page.get_by_label("À qui ?").select_option(label=f"{w.delegatee.name} — {w.delegatee.unit.name}")
    page.get_by_label("Consignes").fill("Voyez avec la CAF et décidez.")
    page.locator("#panel-delegate").get_by_role("button", name="Déléguer").click()
    expect(page.locator("#note-pending")).to_contain_text("Délégation · En attente d’envoi")

    page.get_by_role("link", name="Notes", exact=True).click()
    open_note(page, annotate)
    page.get_by_role("button", name="Annoter").click()
    page.get_by_label("Passage cité").fill("deux sites pilotes")
    page.get_by_label("Votre annotation").fill("Lesquels ?")
    page.locator("#panel-annotate").get_by_role("button", name="Annoter").click()
    page.get_by_role("button", name="Question").click()
    page.get_by_label("Votre question").fill("Quel calendrier pour les travaux ?")
    page.get_by_role("button", name="Envoyer la question").click()
    pending = page.locator("#note-pending")
    expect(pending).to_contain_text("Annotation · En attente d’envoi")
    expect(pending).to_contain_text("Question · En attente d’envoi")


def reopen_offline(context, notes):
    page = context.new_page()
    page.goto("/notes/inbox")
    for note in notes:
        row = page.locator(f"[data-note-row='{note.id}']")
        expect(row.locator(".pending-tag")).to_have_text("En attente d’envoi")
    expect(page.locator("#outbox-status")).to_contain_text("4 envois en attente")
    return page


def assert_each_author_got_each_answer_once(w, notes) -> None:
    decide, delegate, annotate = notes
    db.session.expire_all()
    answers = lambda note: sorted((a.kind, a.text) for a in db.session.scalars(  # noqa: E731
        db.select(Answer).where(Answer.note_id == note.id)))
    decision = db.session.scalars(db.select(Answer).where(Answer.note_id == decide.id)).all()
    assert [(a.kind, a.verdict, a.option.label) for a in decision] == [("decision", "option", "B")]
    delegations = db.session.scalars(db.select(Delegation).where(Delegation.note_id == delegate.id)).all()
    assert [(d.instructions, [u.id for u in d.delegatees]) for d in delegations] == [
        ("Voyez avec la CAF et décidez.", [w.delegatee.id])]
    assert answers(annotate) == [("annotation", "Lesquels ?"), ("question", "Quel calendrier pour les travaux ?")]
    # Opened offline, each note's receipt was sent from the device too.
    receipts = db.session.scalars(db.select(NoteAddressee).where(NoteAddressee.user_id == w.elu.id)).all()
    assert all(r.acknowledged_at is not None for r in receipts)


def test_an_elu_answers_three_notes_offline_through_the_page(phone, make, requests_seen):
    w = world(make)
    notes = three_notes(w)
    page = phone()
    sign_in(page, w.elu, remember=True)
    wait_controlled(page)
    page.goto("/notes/inbox")
    expect(page.locator(f"[data-note-row='{notes[0].id}']")).to_contain_text("Nouvelle")
    stored_ahead(page, notes)
    assert not db.session.scalars(db.select(NoteAddressee.acknowledged_at)).first()  # stored is not read
    context = page.context
    context.set_offline(True)
    answer_three_notes_offline(page, w, notes)
    page.close()
    page = reopen_offline(context, notes)
    context.set_offline(False)
    for note in notes:
        expect(page.locator(f"[data-note-row='{note.id}'] .pending-tag")).to_have_count(0)
    eventually(page, lambda: assert_each_author_got_each_answer_once(w, notes))
    expect(page.locator("#outbox-status")).to_be_hidden()
    # Sent again only if an answer was lost, and then with the same key: the server acted once.
    assert len({k for m, p, k in requests_seen.seen if p == f"/api/v1/notes/{notes[0].id}/answers"}) == 1


def test_without_rester_connecte_the_queue_is_sent_after_signing_in_from_the_banner(phone, make):
    w = world(make)
    notes = three_notes(w)
    page = phone()
    sign_in(page, w.elu, remember=False)
    wait_controlled(page)
    page.goto("/notes/inbox")
    stored_ahead(page, notes)
    context = page.context
    context.set_offline(True)
    answer_three_notes_offline(page, w, notes)
    page.close()
    page = reopen_offline(context, notes)
    context.clear_cookies()  # the browser was closed: a session cookie does not survive that
    context.set_offline(False)
    banner = page.locator("#outbox-status")
    expect(banner).to_contain_text("reconnectez-vous")
    banner.get_by_role("link", name="Se reconnecter").click()
    page.get_by_label("Adresse e-mail professionnelle").fill(w.elu.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/notes/inbox")
    eventually(page, lambda: assert_each_author_got_each_answer_once(w, notes))
    expect(page.locator("#outbox-status")).to_be_hidden()


def test_the_note_page_and_inbox_pass_axe_and_a_refusal_is_final(phone, make):
    w = world(make)
    notes = three_notes(w)
    page = phone()
    sign_in(page, w.elu, remember=True)
    wait_controlled(page)
    page.goto("/notes/inbox")
    assert axe_violations(page) == []
    open_note(page, notes[0])
    page.get_by_role("button", name="Décider").click()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")  # closes the panel, back on its button
    expect(page.locator("#panel-decide")).to_be_hidden()
    expect(page.get_by_role("button", name="Décider")).to_be_focused()
    page.keyboard.press("Enter")  # the keyboard opens it again, on its first choice
    expect(page.get_by_label("Option A : Deux sites pilotes")).to_be_focused()
    page.get_by_label("Option A : Deux sites pilotes").check()
    # Meanwhile the note was decided elsewhere (the delegation path, another device).
    service.answer(w.elu, service.get_note(notes[0].id), kind="decision", verdict="option", option_label="B")
    db.session.commit()
    page.get_by_role("button", name="Enregistrer la décision").click()
    pending = page.locator("#note-pending")
    expect(pending).to_contain_text("Décision : Option A · Refusé")
    page.reload()
    expect(pending).to_contain_text("Refusé")  # kept, not retried, until the person removes it
    pending.get_by_role("button", name="Retirer : Décision : Option A — Horaires des crèches l’été").click()
    expect(pending).to_be_hidden()
