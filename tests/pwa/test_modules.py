"""Each browser module has one URL: a page runs one copy of app.js, outbox.js…, so its listeners act once."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.excursions.conftest import Team
from tests.notes.helpers import note_in, world
from tests.pwa.conftest import send_now, server_down, wait_controlled
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


def scripts_loaded(page) -> list[str]:
    """The URLs of the scripts the page fetched (the page's own resource timing, from the worker or not)."""
    return page.evaluate("""performance.getEntriesByType('resource').map(e => e.name)
        .filter(url => new URL(url).pathname.startsWith('/static/js/'))""")


def assert_each_module_once(page, expected: set[str]) -> None:
    urls = scripts_loaded(page)
    paths = Counter(urlsplit(url).path for url in urls)
    assert expected <= set(paths), paths
    assert [path for path, n in paths.items() if n > 1] == []  # no module under two URLs
    assert all("?v=" in url for url in urls), urls  # each by its content-hashed URL


def test_the_note_page_runs_each_module_once_and_queues_an_action_once(phone, make, live_server, requests_seen):
    w = world(make)
    note = note_in(w, "sent")
    page = phone()
    sign_in(page, w.elu, PASSWORD)
    wait_controlled(page)
    page.goto(f"/notes/{note.id}")
    expect(page.locator(".action-bar [aria-expanded]").first).to_be_attached()  # the page's script ran
    assert_each_module_once(page, {"/static/js/app.js", "/static/js/pwa.js", "/static/js/notes.js",
                                   "/static/js/outbox.js", "/static/js/http.js", "/static/js/store.js"})
    with server_down(live_server):
        page.get_by_role("button", name="Avis").click()
        page.get_by_label("Votre avis").fill("Favorable.")
        page.get_by_role("button", name="Donner mon avis").click()
        page.locator("#outbox-status").get_by_text("1 envoi en attente").wait_for()
        expect(page.locator("#note-pending li")).to_have_count(1)
    send_now(page)
    page.locator("#note-pending").get_by_text("Avis · Envoyé").wait_for()
    assert requests_seen.count("POST", f"/api/v1/notes/{note.id}/answers") == 1


def test_the_capture_page_runs_each_module_once(phone, make):
    team = Team(make, starts_in_days=0)
    page = phone()
    sign_in(page, team.agent, PASSWORD)
    page.goto(f"/excursions/{team.excursion.id}/capture")
    page.get_by_text("Aucune capture sur cet appareil.").wait_for()
    assert_each_module_once(page, {"/static/js/app.js", "/static/js/pwa.js", "/static/js/excursions.js",
                                   "/static/js/outbox.js", "/static/js/store.js", "/static/js/sync.js"})
