"""A new version deployed while the phone was offline: the capture page and the note page opened from the
device still run their scripts and take captures and answers; back online, the new service worker takes
over, even with things still waiting on the phone, and everything reaches the server once."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, _database_url
from tests.notes.helpers import note_in, world
from tests.pwa.conftest import wait_controlled, wait_js
from tests.support.browser import LiveServer, sign_in
from webapp import create_app
from webapp.core.clock import utcnow
from webapp.core.static import StaticFiles
from webapp.excursions import service as excursions
from webapp.excursions.models import EvidenceItem
from webapp.extensions import db
from webapp.notes.models import Answer
from webapp.pwa import shell

pytestmark = pytest.mark.browser

CHANGED = ("js/notes.js", "js/excursions.js", "js/outbox.js", "css/app.css")
WORKER_VERSION = """new Promise((resolve) => {
    navigator.serviceWorker.addEventListener('message', (e) => resolve(e.data.version), {once: true});
    navigator.serviceWorker.controller.postMessage({type: 'VERSION'});
})"""


@pytest.fixture
def deploy(app, live_server, tmp_path):
    """Replace the running version by a new one on the same address: same database and secret key, some
    of its scripts and styles changed (so their hashes, the import map and the worker's version change)."""
    started = []

    def deploy_():
        static = tmp_path / "static"
        shutil.copytree(app.static_folder, static)
        for name in CHANGED:
            with (static / name).open("a", encoding="utf-8") as handle:
                handle.write("\n/* the next version */\n")
        new = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": _database_url(), "SERVER_NAME": None,
                          "RATELIMIT_STORAGE_URI": "memory://", "SECRET_KEY": app.config["SECRET_KEY"],
                          "PUBLIC_URL": live_server.url})
        new.static_folder = str(static)
        new.wsgi_app = StaticFiles(new, new.wsgi_app.wsgi_app)  # serve the new files
        live_server.stop()
        server = LiveServer(new)
        server.port = live_server.port
        server.start()
        started.append((new, server))
        with new.test_request_context():
            return shell.current().version

    yield deploy_
    for new, server in started:
        server.stop()
        with new.app_context():
            db.session.remove()
            db.engine.dispose()
    live_server.start()


def test_pages_kept_offline_work_through_a_deploy_and_the_new_worker_takes_over(phone, make, deploy, app):
    w = world(make)
    note = note_in(w, "sent")
    excursion = excursions.create_excursion(
        w.author, title="Visite du centre social", elu_ids=[w.elu.id], starts_at=utcnow(),
        duration_minutes=120, places=[{"name": "Centre social", "address": "2 rue Basse"}], people=[],
        questions=["Qu’avez-vous vu ?"], checklist=[])
    db.session.commit()
    capture_url, note_url = f"/excursions/{excursion.id}/capture", f"/notes/{note.id}"
    with app.test_request_context():
        old_version = shell.current().version

    page = phone()
    sign_in(page, w.elu, PASSWORD)
    wait_controlled(page)
    for url in ("/notifications", capture_url, note_url):  # opened once, online, before the deploy
        page.goto(url)
        wait_js(page, "caches.match(location.href, {cacheName: 'tandem-pages'}).then(r => !!r)", timeout=20)
    context = page.context

    context.set_offline(True)
    new_version = deploy()
    assert new_version != old_version

    # Still offline: the capture page kept on the device runs its scripts and takes a capture.
    page.goto(capture_url)
    expect(page.locator(".offline-copy")).to_contain_text("Hors ligne · à jour de")
    page.get_by_label("Note", exact=True).fill("Rampe d’accès trop raide")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_text("1 capture(s) pas encore synchronisée(s) sur 1.").wait_for()
    # And the note page takes an answer, queued on the device.
    page.goto(note_url)
    expect(page.locator(".offline-copy")).to_contain_text("Hors ligne · à jour de")
    page.get_by_role("button", name="Avis").click()
    page.get_by_label("Votre avis").fill("Favorable, après la visite.")
    page.get_by_role("button", name="Donner mon avis").click()
    expect(page.locator("#note-pending")).to_contain_text("Avis · En attente d’envoi")

    # Back online on the capture page: the new version's worker installs and waits; what was queued is
    # sent to the new version's server.
    context.set_offline(False)
    page.goto(capture_url)
    page.get_by_role("status").filter(has_text="Nouvelle version disponible").wait_for()
    page.get_by_text("Tout est synchronisé (1 capture).").wait_for(timeout=30_000)

    # Offline again, one more capture waits on the phone when the person accepts the update: the new
    # worker takes over without the network, and the capture is still there, then sent.
    context.set_offline(True)
    # The browser's own HTTP cache may have been emptied meanwhile: only the worker's caches count.
    context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.get_by_label("Note", exact=True).fill("Banc manquant devant l’entrée")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_text("1 capture(s) pas encore synchronisée(s) sur 2.").wait_for()
    with page.expect_navigation():
        page.get_by_role("status").filter(has_text="Nouvelle version disponible").get_by_role(
            "button", name="Mettre à jour").click()
    page.get_by_text("1 capture(s) pas encore synchronisée(s) sur 2.").wait_for()  # scripts of the new version
    wait_js(page, f"{WORKER_VERSION}.then(v => v === {new_version!r})")
    # Under the new worker, still offline: a page kept from before the deploy asks for the old version's
    # files, which the new worker kept: its scripts run (the banner is pwa.js's) and its styles apply.
    page.goto("/notifications")
    expect(page.locator(".offline-copy")).to_contain_text("Hors ligne · à jour de")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    page.goto(note_url)
    page.get_by_role("button", name="Question").click()
    expect(page.get_by_label("Votre question")).to_be_visible()  # notes.js wired the action bar
    page.goto(capture_url)
    page.get_by_text("1 capture(s) pas encore synchronisée(s) sur 2.").wait_for()
    context.set_offline(False)
    page.get_by_role("button", name="Synchroniser maintenant").click()
    page.get_by_text("Tout est synchronisé (2 captures).").wait_for(timeout=30_000)

    db.session.expire_all()
    texts = db.session.scalars(db.select(EvidenceItem.text).where(EvidenceItem.excursion_id == excursion.id)).all()
    assert sorted(texts) == ["Banc manquant devant l’entrée", "Rampe d’accès trop raide"]
    answers = db.session.scalars(db.select(Answer).where(Answer.note_id == note.id)).all()
    assert [(a.kind, a.text) for a in answers] == [("opinion", "Favorable, après la visite.")]
    names = page.evaluate("caches.keys()")
    assert [n for n in names if n.startswith("tandem-shell-")] == [f"tandem-shell-{new_version}"]
