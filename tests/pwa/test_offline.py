"""Installable, readable offline, updatable: Chromium against the live server, stopped at times."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.pwa.conftest import server_down, wait_controlled, wait_js
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, sign_in
from webapp.pwa import shell

pytestmark = pytest.mark.browser


def test_chrome_finds_tandem_installable(chromium, live_server, tmp_path):
    context = chromium.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        viewport=PHONE, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/login")
        wait_js(page, "navigator.serviceWorker.controller !== null")
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def test_pages_seen_once_reload_with_the_server_stopped(phone, make, live_server):
    elu = make.elu("Martine Élue")
    page = phone()
    sign_in(page, elu, PASSWORD)
    wait_controlled(page)
    page.goto("/notifications")
    assert page.get_by_role("heading", level=1).inner_text() == "Notifications"
    page.goto("/")
    with server_down(live_server):
        page.reload()
        assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Martine"
        page.goto("/notifications")  # opened once before: read from the device
        assert page.get_by_role("heading", level=1).inner_text() == "Notifications"
        page.goto("/profile")  # never opened on this device
        assert page.get_by_role("heading", level=1).inner_text() == "Vous êtes hors ligne"
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")  # CSS offline
    page.goto("/profile")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon profil"


def test_notes_seen_once_read_offline(phone, make, live_server):
    elu = make.elu("Martine Élue")
    page = phone()
    sign_in(page, elu, PASSWORD)
    wait_controlled(page)
    inbox = page.goto("/notes/inbox")
    if inbox.status == 404:
        pytest.fail("the notes inbox is missing")
    title = page.get_by_role("heading", level=1).inner_text()
    with server_down(live_server):
        page.reload()
        assert page.get_by_role("heading", level=1).inner_text() == title


def test_api_reads_already_made_answer_offline(phone, make, live_server):
    page = phone()
    sign_in(page, make.agent("Paul Exemple"), PASSWORD)
    wait_controlled(page)
    fetch_me = "fetch('/api/v1/me', {headers: {Accept: 'application/json'}}).then(r => r.json()).then(d => d.name)"
    assert page.evaluate(fetch_me) == "Paul Exemple"
    with server_down(live_server):
        assert page.evaluate(fetch_me) == "Paul Exemple"


@pytest.fixture
def redeploy(app):
    """Deploy a "new version": the server injects another precache version into /sw.js."""
    with app.test_request_context():
        current = shell.current()

    def deploy(version: str, precache: list[str] | None = None, kept_copies: int = shell.KEPT_COPIES) -> None:
        app.extensions["tandem_shell"] = shell.Shell(version=version, precache=precache or current.precache,
                                                     kept_copies=kept_copies)

    yield deploy
    app.extensions["tandem_shell"] = current


def test_a_new_version_is_offered_and_applied_with_one_reload(phone, make, redeploy):
    page = phone()
    sign_in(page, make.elu(), PASSWORD)
    wait_controlled(page)
    bar = page.get_by_role("status").filter(has_text="Nouvelle version disponible")
    assert not bar.is_visible()
    redeploy("nouvelle-version-test")
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    bar.wait_for(state="visible")
    # At the bottom of the screen, clear of the page's own content and buttons.
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"] + 1 and box["y"] > PHONE["height"] / 2
    page.evaluate("window.beforeUpdate = true")
    with page.expect_navigation():
        bar.get_by_role("button", name="Mettre à jour").click()
    page.wait_for_load_state()
    assert page.evaluate("window.beforeUpdate") is None  # reloaded
    wait_js(page, """new Promise((resolve) => {
        navigator.serviceWorker.addEventListener('message', (e) => resolve(e.data.version), {once: true});
        navigator.serviceWorker.controller.postMessage({type: 'VERSION'});
    }).then(v => v === 'nouvelle-version-test')""")
    assert not page.get_by_role("status").filter(has_text="Nouvelle version disponible").is_visible()
    names = page.evaluate("caches.keys()")
    assert [n for n in names if n.startswith("tandem-shell-")] == ["tandem-shell-nouvelle-version-test"]


def test_a_note_page_kept_from_before_a_deploy_keeps_its_style_and_script_offline(phone, make, redeploy, app):
    from playwright.sync_api import expect

    from tests.notes.helpers import note_in, world

    w = world(make)
    note = note_in(w, "sent")
    page = phone()
    sign_in(page, w.elu, PASSWORD)
    wait_controlled(page)
    page.goto(f"/notes/{note.id}")
    wait_js(page, "caches.match(location.href, {cacheName: 'tandem-pages'}).then(r => !!r)")
    with app.test_request_context():
        old = shell.current().precache
    # The new version changed the note page's style sheet: its old hashed URL leaves the precache.
    redeploy("apres-deploiement", [u.replace("notes.css?v=", "notes.css?v=new") for u in old])
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    bar = page.get_by_role("status").filter(has_text="Nouvelle version disponible")
    with page.expect_navigation():
        bar.get_by_role("button", name="Mettre à jour").click()
    page.context.set_offline(True)
    page.reload()
    expect(page.locator(".offline-copy")).to_contain_text("Hors ligne · à jour de")
    decide = page.get_by_role("button", name="Décider")
    assert decide.evaluate("(el) => getComputedStyle(el).borderRadius") == "999px"  # notes.css still there
    decide.click()  # notes.js still runs
    expect(page.locator("#panel-decide")).to_be_visible()
    # The older version's files stay only while a kept page names them.
    kept = page.evaluate("caches.open('tandem-static').then(c => c.keys())"
                         ".then(k => k.map(r => new URL(r.url).pathname))")
    assert "/static/css/notes.css" in kept and "/static/js/notes.js" in kept
    assert "/static/css/atlas.css" not in kept and "/static/css/forum.css" not in kept  # no kept page has them


def test_a_phone_keeps_the_pages_read_last_and_lets_the_oldest_go(phone, make, redeploy, live_server):
    """What the phone keeps for offline reading is bounded (here to 3 pages, 200 in production): the pages
    seen last read offline, the oldest is gone, and the device does not fill up over a mandate."""
    redeploy("trois-pages", kept_copies=3)
    page = phone()
    sign_in(page, make.elu("Martine Élue"), PASSWORD)
    wait_controlled(page)
    titles = {}
    for path in ("/profile", "/notifications", "/excursions", "/atlas", "/temoignages", "/cooperation"):
        page.goto(path)
        titles[path] = page.get_by_role("heading", level=1).inner_text()
    wait_js(page, "caches.open('tandem-pages').then(c => c.keys()).then(k => k.length <= 4)")
    with server_down(live_server):
        for path in ("/temoignages", "/cooperation"):  # read last: on the device
            page.goto(path)
            assert page.get_by_role("heading", level=1).inner_text() == titles[path]
        page.goto("/profile")  # read first, six pages ago: let go
        assert page.get_by_role("heading", level=1).inner_text() == "Vous êtes hors ligne"


def test_a_passage_linked_on_a_page_read_offline_lands_below_the_offline_banner(phone, make, live_server):
    """The banner saying the page is a copy sticks under the top bar: a jump to a passage (here the
    search field, as a skip link or a form error does) must not hide it under the two."""
    elu = make.elu("Martine Élue")
    page = phone()
    page.set_viewport_size({"width": 390, "height": 320})  # short: the field can be scrolled to the top
    sign_in(page, elu, PASSWORD)
    wait_controlled(page)
    page.goto("/notes/inbox")
    wait_js(page, "caches.match(location.href, {cacheName: 'tandem-pages'}).then(r => !!r)")
    page.context.set_offline(True)
    page.reload()
    banner = page.locator(".offline-copy")
    banner.wait_for()
    page.evaluate("document.body.style.paddingBottom = '200vh'")  # room to scroll the field to the top
    page.evaluate("location.hash = '#q'")
    wait_js(page, "document.getElementById('q').getBoundingClientRect().top < 200")  # the jump happened
    field_top = page.evaluate("document.getElementById('q').getBoundingClientRect().top")
    assert field_top >= banner.bounding_box()["y"] + banner.bounding_box()["height"]


def test_a_page_reloaded_offline_opens_with_its_title_below_the_offline_banner(phone, make, live_server):
    """Chromium restores a reloaded page's scroll by the element that was at the top, after the page's
    scripts ran: with the banner now above the content, the title came back hidden under it."""
    elu = make.elu("Martine Élue")
    page = phone()
    page.set_viewport_size({"width": 390, "height": 400})  # short: the page can scroll, as a full inbox does
    sign_in(page, elu, PASSWORD)
    wait_controlled(page)
    page.goto("/notes/inbox")
    wait_js(page, "caches.match(location.href, {cacheName: 'tandem-pages'}).then(r => !!r)")
    page.context.set_offline(True)
    page.reload(wait_until="load")
    banner = page.locator(".offline-copy")
    banner.wait_for()
    heading = page.get_by_role("heading", level=1)
    wait_js(page, "document.readyState === 'complete'")
    assert heading.bounding_box()["y"] >= banner.bounding_box()["y"] + banner.bounding_box()["height"]
