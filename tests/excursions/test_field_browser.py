"""On the phone, in the field: captures made with the server gone survive a reload, then reach the
server exactly once with matching hashes; a chunked upload cut in the middle resumes where it stopped."""

from __future__ import annotations

import hashlib
import io
import random
import uuid

import pytest
from PIL import Image

from tests.conftest import PASSWORD
from tests.excursions.conftest import Team
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, axe_violations, sign_in, wait_until
from webapp.excursions import media as media_store
from webapp.excursions.models import EvidenceItem, Media
from webapp.extensions import db

pytestmark = pytest.mark.browser
FAKE_MEDIA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


@pytest.fixture(scope="module")
def field_browser(chromium):
    """Chromium with a fake microphone (MediaRecorder needs a device), launched by the same Playwright."""
    browser = chromium.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + FAKE_MEDIA)
    yield browser
    browser.close()


@pytest.fixture
def field_phone(field_browser, live_server):
    context = field_browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                        locale="fr-FR", base_url=live_server.url, permissions=["microphone"])
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def config(app):
    """Change app settings for one test (the live server shares the app), restored afterwards."""
    saved = {}

    def set_(**values):
        for key, value in values.items():
            saved.setdefault(key, app.config.get(key))
            app.config[key] = value

    yield set_
    app.config.update(saved)


def open_capture(page, team, who) -> None:
    """Sign in, let the service worker take control, then open the capture page once, online."""
    sign_in(page, who, PASSWORD)
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=20)
    page.goto(f"/excursions/{team.excursion.id}/capture")
    wait_until(page, "caches.match(location.href).then(r => !!r)", timeout=20)
    page.get_by_text("Aucune capture sur cet appareil.").wait_for()


def image_bytes(fmt: str, size: int = 40, noise: bool = False) -> bytes:
    rng = random.Random(size)
    image = Image.new("RGB", (size, size), (rng.randrange(256), 120, 60))
    if noise:
        image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(size * size)])
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def states(page) -> list[str]:
    return page.locator("#items .sync-state").all_inner_texts()


def server_items(team) -> list[EvidenceItem]:
    db.session.expire_all()
    return db.session.scalars(db.select(EvidenceItem).where(EvidenceItem.excursion_id == team.excursion.id)).all()


def device_items(page) -> list[dict]:
    return page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open("tandem-excursions");
        open.onsuccess = () => {
          const request = open.result.transaction("items").objectStore("items").getAll();
          request.onsuccess = () => resolve(request.result);
        };
    })""")


def test_captures_made_offline_survive_a_reload_and_arrive_exactly_once(field_phone, make, live_server):
    team = Team(make, starts_in_days=0)
    page = field_phone
    open_capture(page, team, team.agent)
    live_server.stop()
    try:
        for n in range(20):
            page.get_by_label("Note", exact=True).fill(f"Observation {n + 1}")
            page.get_by_role("button", name="Enregistrer la note").click()
            page.locator("#items-count", has_text=str(n + 1)).wait_for()
        for n in range(5):
            fmt, mime = ("PNG", "image/png") if n % 2 else ("JPEG", "image/jpeg")
            page.set_input_files("#photo-input", files=[{"name": f"photo{n}.{fmt.lower()}", "mimeType": mime,
                                                         "buffer": image_bytes(fmt, 40 + n)}])
            page.locator("#items-count", has_text=str(21 + n)).wait_for()
        page.get_by_role("button", name="Enregistrer un son").click()
        page.get_by_text("Enregistrement en cours… 0:01").wait_for()  # a second of sound recorded
        page.get_by_role("button", name="Arrêter l’enregistrement").click()
        page.locator("#items-count", has_text="26").wait_for()
        assert "envoyé" not in states(page)
        page.reload()
        page.locator("#items-count", has_text="26").wait_for()
        page.get_by_text("26 capture(s) pas encore synchronisée(s) sur 26.").wait_for()
        assert set(states(page)) <= {"sur l’appareil", "envoi…"}
        assert server_items(team) == []
    finally:
        live_server.start()
    uploads: list[tuple[str, str]] = []
    page.on("request", lambda r: uploads.append((r.method, r.url)) if "/excursions/media/" in r.url else None)
    page.get_by_role("button", name="Synchroniser maintenant").click()
    page.get_by_text("Tout est synchronisé (26 captures).").wait_for(timeout=60_000)
    assert set(states(page)) == {"envoyé"}
    # The 6 small files travelled whole in one request, without a request per file.
    assert uploads == [("POST", f"{live_server.url}/api/v1/excursions/media/bundle")]

    stored = server_items(team)
    device = device_items(page)
    assert sorted(str(i.id) for i in stored) == sorted(d["id"] for d in device)
    assert sorted(i.kind for i in stored).count("text") == 20
    assert [i.kind for i in stored].count("photo") == 5 and [i.kind for i in stored].count("audio") == 1
    device_hashes = {d["media"]["id"]: d["media"]["sha256"] for d in device if d["media"]}
    for item in stored:
        if item.media is not None:
            assert item.media.complete
            assert hashlib.sha256(media_store.media_path(item.media).read_bytes()).hexdigest() == item.media.sha256
            assert device_hashes[str(item.media.id)] == item.media.sha256
    assert {i.text for i in stored if i.kind == "text"} == {f"Observation {n}" for n in range(1, 21)}


def test_a_chunked_upload_cut_in_the_middle_resumes_where_it_stopped(field_phone, make, live_server, config):
    chunk = 16 * 1024
    config(EXCURSION_CHUNK_BYTES=chunk, UPLOAD_CHUNK_MAX_BYTES=chunk)  # chunks that do not grow with the link
    team = Team(make, starts_in_days=0)
    page = field_phone
    open_capture(page, team, team.elu)
    offsets: list[int] = []
    cut = {"done": False}

    def on_put(route, request):
        offsets.append(int(request.url.split("offset=")[1]))
        if len(offsets) <= 3:
            route.continue_()
            return
        if not cut["done"]:
            cut["done"] = True
            live_server.stop()  # the network goes away in the middle of the upload
        route.abort("connectionrefused")

    page.route("**/api/v1/excursions/media/*?offset=*", on_put)
    photo = image_bytes("PNG", 500, noise=True)
    with page.expect_event("requestfailed", lambda r: "offset=" in r.url, timeout=20_000):
        page.set_input_files("#photo-input", files=[{"name": "wall.png", "mimeType": "image/png", "buffer": photo}])
    assert cut["done"]
    page.locator("#items .sync-state", has_text="sur l’appareil").wait_for()
    media = db.session.scalars(db.select(Media)).one()
    assert media_store.received_bytes(media) == 3 * chunk and not media.complete and media.size > 6 * chunk
    assert page.get_by_text("1 capture(s) pas encore synchronisée(s) sur 1.").is_visible()

    page.unroute("**/api/v1/excursions/media/*?offset=*")
    resumed: list[str] = []
    page.on("request", lambda r: resumed.append(r.url) if r.method == "PUT" else None)
    live_server.start()
    page.get_by_role("button", name="Synchroniser maintenant").click()
    page.get_by_text("Tout est synchronisé (1 capture).").wait_for(timeout=30_000)
    assert resumed[0].endswith(f"offset={3 * chunk}")
    db.session.expire_all()
    media = db.session.get(Media, media.id)
    assert media.complete
    assert hashlib.sha256(media_store.media_path(media).read_bytes()).hexdigest() == media.sha256


def test_on_a_fast_link_a_large_file_goes_in_two_requests_instead_of_one_per_chunk(field_phone, make, live_server,
                                                                                     config):
    chunk = 64 * 1024
    config(EXCURSION_CHUNK_BYTES=chunk)
    team = Team(make, starts_in_days=0)
    page = field_phone
    open_capture(page, team, team.agent)
    offsets: list[int] = []
    page.on("request", lambda r: offsets.append(int(r.url.split("offset=")[1])) if "offset=" in r.url else None)
    photo = image_bytes("PNG", 1200, noise=True)  # a JPEG of about 1 MB once scaled on the phone
    page.set_input_files("#photo-input", files=[{"name": "wall.png", "mimeType": "image/png", "buffer": photo}])
    page.get_by_text("Tout est synchronisé (1 capture).").wait_for(timeout=30_000)
    (item,) = server_items(team)
    assert item.media.complete and item.media.size > 10 * chunk
    assert hashlib.sha256(media_store.media_path(item.media).read_bytes()).hexdigest() == item.media.sha256
    # The first chunk at the page's size, measured; the rest at the speed it went (loopback: all of it).
    assert offsets[:2] == [0, chunk] and len(offsets) <= 3, offsets


def test_chunks_follow_the_link_between_a_quarter_of_the_chunk_size_and_the_maximum(field_phone, make, live_server):
    """The sizing rule itself, at speeds a loopback cannot show (a weak 3G uplink, a good 4G one)."""
    team = Team(make, starts_in_days=0)
    page = field_phone
    open_capture(page, team, team.agent)
    sizes = page.evaluate("""async () => {
      const { nextChunk, observeLink } = await import("/static/js/uploads.js");
      const limits = { chunkBytes: 1048576, chunkMaxBytes: 8388608 };
      const out = [nextChunk(50e6, limits)];              // nothing measured yet: the page's chunk size
      observeLink(1048576, 20000); out.push(nextChunk(50e6, limits));  // 52 KB/s: a quarter of it
      observeLink(1048576, 4000); out.push(nextChunk(50e6, limits));   // 262 KB/s: 2 s of sending
      observeLink(1048576, 100); out.push(nextChunk(50e6, limits));    // 10 MB/s: the maximum
      out.push(nextChunk(9000000, limits));                // a tail under a quarter rides along... within the max
      out.push(nextChunk(3000000, limits));                // what is left goes whole
      observeLink(1000, 1000); out.push(nextChunk(50e6, limits));      // 1 KB tells nothing: unchanged
      return out;
    }""")
    assert sizes == [1048576, 262144, 524288, 8388608, 8388608, 3000000, 8388608]


def test_files_go_one_by_one_when_the_server_lowered_its_bundle_limit(field_phone, make, live_server, config):
    team = Team(make, starts_in_days=0)
    page = field_phone
    open_capture(page, team, team.agent)
    config(EXCURSION_BUNDLE_BYTES=100)  # lowered after the page was loaded: its bundles are now too heavy
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.method) if "/excursions/media/" in r.url else None)
    for n in range(2):
        page.set_input_files("#photo-input", files=[{"name": f"p{n}.png", "mimeType": "image/png",
                                                     "buffer": image_bytes("PNG", 60 + n)}])
        page.locator("#items-count", has_text=str(n + 1)).wait_for()
    page.get_by_role("button", name="Synchroniser maintenant").click()
    page.get_by_text("Tout est synchronisé (2 captures).").wait_for(timeout=30_000)
    assert "POST" in uploads and uploads.count("PUT") >= 2
    assert all(item.media.complete for item in server_items(team))


def test_bundles_hold_no_more_files_than_the_server_takes(field_phone, make, live_server, config):
    config(EXCURSION_BUNDLE_FILES=2)
    team = Team(make, starts_in_days=0)
    page = field_phone
    open_capture(page, team, team.elu)
    live_server.stop()
    try:
        for n in range(3):
            page.set_input_files("#photo-input", files=[{"name": f"p{n}.png", "mimeType": "image/png",
                                                         "buffer": image_bytes("PNG", 50 + n)}])
            page.locator("#items-count", has_text=str(n + 1)).wait_for()
    finally:
        live_server.start()
    bundles: list[str] = []
    page.on("request", lambda r: r.url.endswith("/bundle") and bundles.append(r.headers.get("bundle-parts", "")))
    page.get_by_role("button", name="Synchroniser maintenant").click()
    page.get_by_text("Tout est synchronisé (3 captures).").wait_for(timeout=30_000)
    assert [len(parts.split(",")) for parts in bundles] == [2, 1]


def test_the_capture_page_speaks_the_language_of_its_user(field_phone, make, live_server):
    team = Team(make, starts_in_days=0)
    team.agent.language = "en"
    db.session.commit()
    page = field_phone
    sign_in(page, team.agent, PASSWORD)
    page.goto(f"/excursions/{team.excursion.id}/capture")
    page.get_by_text("No capture on this device.").wait_for()
    page.get_by_label("Note", exact=True).fill("Queue outside")
    page.get_by_role("button", name="Save the note").click()
    page.get_by_text("Everything is synchronised (1 capture).").wait_for()
    assert states(page) == ["sent"]


def test_a_file_over_the_limit_gets_a_clear_message_and_stays_on_the_device(field_phone, make, live_server, config,
                                                                            requests_seen):
    config(EXCURSION_MEDIA_MAX_BYTES=500)
    team = Team(make, starts_in_days=0)
    page = field_phone
    open_capture(page, team, team.agent)
    page.set_input_files("#photo-input", files=[{"name": "big.png", "mimeType": "image/png",
                                                 "buffer": image_bytes("PNG", 200, noise=True)}])
    page.get_by_role("alert").get_by_text("Fichier trop volumineux").wait_for()
    assert "erreur : Fichier trop volumineux" in states(page)[0]
    items_url = f"/api/v1/excursions/{team.excursion.id}/items"
    # "Synchroniser maintenant" syncs, then reads the others' captures: once that read has reached the
    # server, the sync (and anything it would have sent) is over.
    with page.expect_response(lambda r: r.request.method == "GET" and r.url.endswith(items_url)):
        page.get_by_role("button", name="Synchroniser maintenant").click()
    assert requests_seen.count("GET", items_url) >= 1  # the counter sees what this page sends
    assert requests_seen.paths("POST", items_url) == []  # no metadata batch
    assert requests_seen.paths("POST", "/api/v1/excursions/media") == []  # no file
    assert requests_seen.paths("PUT", "/api/v1/excursions/media") == []
    assert server_items(team) == []
    assert axe_violations(page) == []


def test_unknown_excursion_id_is_404(client, make):
    client.login(make.agent())
    assert client.get(f"/excursions/{uuid.uuid4()}/capture").status_code == 404


def test_preparation_bilan_and_compliance_pages_are_accessible_at_phone_size(phone, make):
    team = Team(make, starts_in_days=0)
    page = phone()
    sign_in(page, team.agent, PASSWORD)
    for path in ("/excursions", "/excursions/new", f"/excursions/{team.excursion.id}",
                 f"/excursions/{team.excursion.id}/bilan"):
        page.goto(path)
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth <= 390"), path
    assessor = phone()
    sign_in(assessor, make.assemblies(), PASSWORD)
    assessor.goto("/excursions/compliance")
    assessor.get_by_role("rowheader", name=team.elu.name).wait_for()
    assert axe_violations(assessor) == []


def test_a_capture_the_server_refuses_shows_why_and_is_not_sent_again(field_phone, make, live_server):
    # A form feed pasted from a PDF: the server cannot store it (core/inputs.py) and refuses that capture.
    team = Team(make, starts_in_days=0)
    page = field_phone
    sign_in(page, team.agent, PASSWORD)
    page.goto(f"/excursions/{team.excursion.id}/capture")
    page.get_by_text("Aucune capture sur cet appareil.").wait_for()
    page.get_by_label("Note", exact=True).fill("Collé depuis un PDF\x0cpage 2")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_text("Caractère non autorisé (U+000C).", exact=False).wait_for()
    sent: list[str] = []
    page.on("request", lambda r: "/items" in r.url and r.method == "POST" and sent.append(r.post_data or ""))
    page.get_by_label("Note", exact=True).fill("Deuxième note, propre")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_text("1 capture(s) pas encore synchronisée(s) sur 2, dont 1 en erreur.").wait_for()
    assert len(sent) == 1 and "propre" in sent[0]
    assert "PDF" not in sent[0]  # the refused capture is not sent again with the next batch
    texts = db.session.scalars(db.select(EvidenceItem.text)).all()
    assert texts == ["Deuxième note, propre"]
