"""The outbox, driven from the note page's own buttons: writes made offline reach the server once, in
order, when it is back; a refusal stays visible with the server's message."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.notes.helpers import note_in, world
from tests.pwa.conftest import eventually, send_now, server_down, wait_controlled
from tests.support.browser import axe_violations, sign_in
from webapp.extensions import db
from webapp.notes import service
from webapp.notes.models import Answer
from webapp.push.models import PushPreference

pytestmark = pytest.mark.browser

def open_note(page, note) -> None:
    page.goto(f"/notes/{note.id}")
    expect(page.locator(".action-bar [aria-expanded]").first).to_be_attached()  # the page's script ran


def give_opinion(page, text: str) -> None:
    page.get_by_role("button", name="Avis").click()
    page.get_by_label("Votre avis").fill(text)
    page.get_by_role("button", name="Donner mon avis").click()


def test_a_write_queued_offline_is_sent_once_after_the_page_was_closed(phone, make, live_server, requests_seen):
    w = world(make)
    note = note_in(w, "sent")
    page = phone()
    sign_in(page, w.elu, PASSWORD)
    wait_controlled(page)
    open_note(page, note)
    url = f"/api/v1/notes/{note.id}/answers"
    with server_down(live_server):
        give_opinion(page, "Favorable, sous réserve du budget.")
        status = page.locator("#outbox-status")
        status.get_by_text("1 envoi en attente").wait_for()
        assert status.get_by_role("button", name="Envoyer maintenant").is_visible()
        expect(page.locator("#note-pending")).to_contain_text("Avis · En attente d’envoi")
        context = page.context
        page.close()  # the person closes the app, still without network
    assert requests_seen.count("POST", url) == 0
    page = context.new_page()
    page.goto("/")  # opening the app replays

    def sent_once():
        db.session.expire_all()
        answers = db.session.scalars(db.select(Answer).where(Answer.note_id == note.id)).all()
        assert [(a.kind, a.text) for a in answers] == [("opinion", "Favorable, sous réserve du budget.")]

    eventually(page, sent_once)
    page.reload()
    page.locator("#outbox-status").wait_for(state="hidden")
    sent_once()
    keys = {k for m, p, k in requests_seen.seen if p == url}
    assert len(keys) == 1 and "" not in keys  # every attempt carried the entry's one Idempotency-Key


def test_entries_replay_in_order_on_envoyer_maintenant(phone, make, live_server, requests_seen):
    w = world(make)
    note = note_in(w, "sent")
    page = phone()
    sign_in(page, w.elu, PASSWORD)
    wait_controlled(page)
    open_note(page, note)
    with server_down(live_server):
        page.get_by_role("button", name="Annoter").click()
        page.get_by_label("Passage cité").fill("deux sites pilotes")
        page.get_by_label("Votre annotation").fill("Lesquels ?")
        page.locator("#panel-annotate").get_by_role("button", name="Annoter").click()
        page.get_by_role("button", name="Question").click()
        page.get_by_label("Votre question").fill("Pour quand ?")
        page.get_by_role("button", name="Envoyer la question").click()
        page.locator("#outbox-status").get_by_text("2 envois en attente").wait_for()
    send_now(page)

    def both_in_order():
        db.session.expire_all()
        answers = db.session.scalars(db.select(Answer).where(Answer.note_id == note.id)
                                     .order_by(Answer.created_at)).all()
        assert [a.kind for a in answers] == ["annotation", "question"]  # in the order given

    eventually(page, both_in_order)
    assert len({k for m, p, k in requests_seen.seen if p == f"/api/v1/notes/{note.id}/answers"}) == 2
    assert service.get_note(note.id).status == "question"


def test_a_refused_write_stays_visible_with_the_server_message(phone, make, requests_seen):
    w = world(make)
    note = note_in(w, "sent")
    page = phone()
    sign_in(page, w.elu, PASSWORD)
    wait_controlled(page)
    open_note(page, note)
    page.get_by_role("button", name="Décider").click()
    page.get_by_label("Option A").check()
    service.delegate(w.elu, service.get_note(note.id), [w.delegatee.id], "Décidez.")  # from another phone
    db.session.commit()
    page.get_by_role("button", name="Enregistrer la décision").click()
    status = page.locator("#outbox-status")
    status.get_by_text("1 envoi refusé").wait_for()
    url = f"/api/v1/notes/{note.id}/answers"
    assert requests_seen.count("POST", url) == 1
    page.reload()  # kept on the device, not retried, until the person drops it
    status.get_by_text("1 envoi refusé").wait_for()
    assert requests_seen.count("POST", url) == 1
    assert axe_violations(page) == []
    status.get_by_role("button", name=f"Abandonner : Décision : Option A — {note.title}").click()
    status.wait_for(state="hidden")
    expect(page.locator("#note-pending")).to_be_hidden()


def test_a_form_marked_data_outbox_is_queued_then_sent_as_json(phone, make, live_server, requests_seen):
    elu = make.elu()
    page = phone()
    sign_in(page, elu, PASSWORD)
    wait_controlled(page)
    # A form as a domain template would write it (built through the DOM: the CSP forbids inline scripts).
    page.evaluate("""() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/nowhere';
        form.dataset.outbox = '';
        form.dataset.apiUrl = '/api/v1/push/preferences';
        form.dataset.apiMethod = 'PUT';
        form.innerHTML = `<input name="csrf_token" value="x">
          <input name="muted_kinds" type="checkbox" value="general" checked>
          <input name="muted_kinds" type="checkbox" value="note_received">
          <input name="quiet_start" type="number" value="23"><input name="quiet_end" type="number" value="5">
          <button type="submit">Enregistrer</button>`;
        document.querySelector('main').append(form);
    }""")
    with server_down(live_server):
        page.get_by_role("button", name="Enregistrer").click()
        page.get_by_text("Enregistré sur l’appareil, envoi dès que possible.").wait_for()
        assert page.url.endswith("/")  # not posted to /nowhere
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#outbox-status").wait_for(state="hidden")
    assert requests_seen.count("POST", "/nowhere") == 0
    db.session.expire_all()
    pref = db.session.get(PushPreference, elu.id)
    assert (pref.muted_kinds, pref.quiet_start, pref.quiet_end) == (["general"], 23, 5)
