"""The élu's notes offline: the inbox and a note read once reload with the server stopped, and an
answer given offline reaches the server exactly once, even after the app was closed in between."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.notes.helpers import note_in, world
from tests.pwa.conftest import eventually, server_down, wait_controlled
from tests.support.browser import sign_in
from webapp.extensions import db
from webapp.notes.models import Answer

pytestmark = pytest.mark.browser


def test_the_inbox_and_a_note_read_once_reload_offline(phone, make, live_server):
    w = world(make)
    note = note_in(w, "sent")
    page = phone()
    sign_in(page, w.elu, PASSWORD)
    wait_controlled(page)
    page.goto("/notes/inbox")
    page.get_by_role("link", name=note.title).click()
    page.wait_for_url(f"**/notes/{note.id}")
    with server_down(live_server):
        page.reload()
        assert page.get_by_role("heading", level=1).inner_text() == note.title
        assert "deux sites pilotes" in page.locator("main").inner_text()
        page.goto("/notes/inbox")
        assert page.get_by_role("link", name=note.title).is_visible()


def test_an_answer_given_offline_reaches_the_server_once(phone, make, live_server, requests_seen):
    w = world(make)
    note = note_in(w, "sent")
    page = phone()
    sign_in(page, w.elu, PASSWORD)
    wait_controlled(page)
    page.goto(f"/notes/{note.id}")
    expect(page.locator(".action-bar [aria-expanded]").first).to_be_attached()  # the page's script ran
    url = f"/api/v1/notes/{note.id}/answers"
    with server_down(live_server):
        page.get_by_role("button", name="Avis").click()
        page.get_by_label("Votre avis").fill("Avis favorable, à étendre ensuite.")
        page.get_by_role("button", name="Donner mon avis").click()
        page.locator("#outbox-status").get_by_text("1 envoi en attente").wait_for()
        context = page.context
        page.close()
    page = context.new_page()
    page.goto("/")

    def sent_once():
        db.session.expire_all()
        answers = db.session.scalars(db.select(Answer).where(Answer.note_id == note.id)).all()
        assert [a.text for a in answers] == ["Avis favorable, à étendre ensuite."]

    eventually(page, sent_once)
    page.reload()
    page.locator("#outbox-status").wait_for(state="hidden")
    sent_once()
    assert len({k for m, p, k in requests_seen.seen if p == url}) == 1
