"""Issue 17's "done when", on a phone: the assemblies service films a testimony for a collège board with the
server gone, syncs it, writes three caption cues and publishes it; a signed-out visitor finds it from the
body's page, plays it (range requests answered 206), the captions load in the <track>, reads the
transcript, and no cookie is set; a second Tandem instance lists the first as a neighbour and shows the
testimony under "chez nos voisins"; withdrawing it removes it from the page and the JSON. axe on every
public page."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest
from flask_migrate import upgrade

from tests.conftest import PASSWORD, TandemClient
from tests.support.browser import PHONE, LiveServer, axe_violations, sign_in, wait_until
from tests.support.builders import Builders
from tests.testimonies.conftest import BOARD
from webapp import create_app
from webapp.core import uploads
from webapp.extensions import db
from webapp.testimonies import models

pytestmark = pytest.mark.browser

# A real WebM made by the browser itself: a canvas filmed by MediaRecorder, twenty coloured frames.
RECORD = """async () => {
  const canvas = Object.assign(document.createElement("canvas"), { width: 160, height: 120 });
  const ctx = canvas.getContext("2d");
  const recorder = new MediaRecorder(canvas.captureStream(20), { mimeType: "video/webm" });
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  recorder.start();
  for (let frame = 0; frame < 20; frame += 1) {
    ctx.fillStyle = `hsl(${frame * 18}, 80%, 50%)`;
    ctx.fillRect(0, 0, 160, 120);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
  }
  recorder.stop();
  await stopped;
  return Array.from(new Uint8Array(await new Blob(chunks).arrayBuffer()));
}"""


def wait_js(page, expression: str, timeout: float = 20) -> None:
    wait_until(page, expression, timeout)


@pytest.fixture
def neighbour_site(app, chromium, tmp_path, monkeypatch):
    """A second Tandem instance with its own instance folder and database, served on its own port."""
    monkeypatch.setenv("TANDEM_INSTANCE_PATH", str(tmp_path / "voisin"))
    second = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/voisin.sqlite",
                         "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None, "AUTHORITY_NAME": "Val d’Amont",
                         "SECRET_KEY": "second-instance-test-key",
                         "NEIGHBOUR_PRIVATE_ADDRESSES": True})
    second.test_client_class = TandemClient
    with second.app_context():
        upgrade()
        clerk = SimpleNamespace(email=Builders(PASSWORD).assemblies("Greffière du Val").email)
    server = LiveServer(second)
    server.start()
    second.config["PUBLIC_URL"] = server.url
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                   locale="fr-FR", base_url=server.url)
    context.set_default_timeout(15_000)
    yield context.new_page(), clerk
    context.close()
    server.stop()
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def film_offline(page, live_server, video: bytes) -> None:
    page.goto("/temoignages/gestion/collecte")
    wait_js(page, "caches.match(location.href).then(r => !!r)")
    page.get_by_text("Aucun témoignage sur cet appareil.").wait_for()
    live_server.stop()
    try:
        page.get_by_label("Instance").select_option(label=f"{BOARD} (Organisme extérieur)")
        page.get_by_label("Vidéo (filmer ou choisir un fichier)").set_input_files(
            files=[{"name": "entretien.webm", "mimeType": "video/webm", "buffer": video}])
        page.get_by_text("Vidéo choisie : entretien.webm").wait_for()
        page.get_by_label("Nom de la personne interrogée").fill("Claire Martin")
        page.get_by_label("Son rôle").fill("Principale")
        page.get_by_label("Son organisme").fill("Collège Jean-Moulin")
        page.get_by_label("La personne accepte ce texte").check()
        page.get_by_label("Nom tapé par la personne, en signature").fill("Claire Martin")
        page.get_by_role("button", name="Enregistrer le témoignage sur l’appareil").click()
        page.get_by_text("Témoignage enregistré sur l’appareil.").wait_for()
        page.reload()  # kept on the device, page served by the service worker
        page.get_by_text("1 témoignage(s) pas encore synchronisé(s) sur 1.").wait_for()
        assert db.session.scalars(db.select(models.Testimony)).all() == []
    finally:
        live_server.start()


def caption_and_publish(page) -> None:
    page.get_by_role("button", name="Publier sur le site public").click()
    page.get_by_text("une vidéo sans sous-titres ne peut pas être publiée").first.wait_for()
    for start, end, text in (("0:00", "0:00.4", "Je suis principale du collège."),
                             ("0:00.4", "0:00.8", "Le conseil se réunit le deuxième mardi."),
                             ("0:00.8", "0:01.2", "Comptez trois heures par mois.")):
        page.get_by_label("Début", exact=True).fill(start)
        page.get_by_label("Fin", exact=True).fill(end)
        page.get_by_label("Texte", exact=True).fill(text)
        page.get_by_role("button", name="Ajouter le sous-titre").click()
        page.get_by_text("Sous-titre ajouté.").wait_for()
    page.get_by_label("Texte intégral de l’entretien").fill("Je suis principale du collège Jean-Moulin.\n"
                                                             "Le conseil se réunit le deuxième mardi.")
    page.get_by_role("button", name="Enregistrer la transcription").click()
    page.get_by_text("Transcription enregistrée.").wait_for()
    page.get_by_role("button", name="Publier sur le site public").click()
    page.get_by_text("Témoignage publié sur le site public.").wait_for()


def test_a_testimony_filmed_offline_is_captioned_published_shared_and_withdrawn(
        phone, make, place, live_server, chromium, neighbour_site):
    blank = chromium.new_page()
    video = bytes(blank.evaluate(RECORD))
    blank.close()
    assert video[:4] == b"\x1a\x45\xdf\xa3"  # EBML: a WebM file

    clerk = phone()
    sign_in(clerk, place.clerk, PASSWORD)
    wait_js(clerk, "navigator.serviceWorker.controller !== null")
    film_offline(clerk, live_server, video)
    clerk.get_by_role("button", name="Synchroniser maintenant").click()
    clerk.get_by_text("Tout est synchronisé (1 témoignage).").wait_for(timeout=30_000)
    db.session.expire_all()
    (testimony,) = db.session.scalars(db.select(models.Testimony)).all()
    assert testimony.video.complete and testimony.video.sha256 == hashlib.sha256(video).hexdigest()
    assert uploads.media_path(testimony.video).read_bytes() == video
    assert testimony.poster is not None and testimony.poster.complete  # drawn from the video on the phone
    assert testimony.consent_name == "Claire Martin" and "J’accepte d’être filmé" in testimony.consent_text
    clerk.get_by_role("link", name=f"Sous-titrer et publier : Claire Martin · {BOARD} (Organisme extérieur)").click()
    caption_and_publish(clerk)

    visitor = phone()
    videos: list[int] = []
    visitor.on("response", lambda r: videos.append(r.status) if r.url.endswith("/video") else None)
    visitor.goto("/temoignages")
    assert axe_violations(visitor) == []
    visitor.get_by_role("link", name="Organisme extérieur").click()
    assert axe_violations(visitor) == []
    visitor.get_by_role("link", name=BOARD).click()
    visitor.get_by_text("2e mardi 17:00–19:00").wait_for()
    assert axe_violations(visitor) == []
    visitor.get_by_role("link", name="Claire Martin").click()
    visitor.get_by_role("heading", name="Transcription").wait_for()
    assert visitor.get_by_text("Je suis principale du collège Jean-Moulin.").is_visible()
    wait_js(visitor, "document.querySelector('video').textTracks[0]?.cues?.length === 3")
    assert visitor.evaluate("document.querySelector('video').textTracks[0].cues[2].text") == \
        "Comptez trois heures par mois."
    visitor.locator("video").evaluate("v => { v.muted = true; return v.play(); }")
    wait_js(visitor, "document.querySelector('video').currentTime > 0")
    assert 206 in videos
    assert axe_violations(visitor) == []
    visitor.get_by_role("link", name="Candidats").click()
    visitor.get_by_role("link", name="Claire Martin").wait_for()
    assert axe_violations(visitor) == []
    assert visitor.context.cookies() == []  # no session, no CSRF cookie on the public site

    other, other_clerk = neighbour_site
    sign_in(other, other_clerk, PASSWORD)
    other.goto("/temoignages/gestion")
    other.get_by_label("Nom de la collectivité voisine").fill("Collectivité voisine")
    other.get_by_label("Adresse de son site Tandem").fill(live_server.url)
    other.get_by_role("button", name="Ajouter ce site voisin").click()
    other.get_by_text("1 témoignage lu le").wait_for()
    other.context.clear_cookies()
    other.goto("/temoignages/voisins")
    other.get_by_role("heading", name="Collectivité voisine").wait_for()
    assert other.get_by_text(f"Source : {live_server.url}").is_visible()
    assert other.get_by_role("link", name="Claire Martin").get_attribute("href").startswith(live_server.url)
    assert axe_violations(other) == []
    other.goto("/temoignages/candidats")
    other.get_by_text("Pas encore de témoignage publié.").wait_for()  # never mixed with its own

    clerk.get_by_role("button", name="Retirer le témoignage (accord retiré)").click()
    clerk.get_by_text("Témoignage retiré du site public et des données ouvertes.").wait_for()
    visitor.goto(f"/temoignages/instance/{place.board.id}")
    visitor.get_by_text("Pas encore de témoignage pour cette instance.").wait_for()
    assert visitor.request.get(f"/temoignages/t/{testimony.id}").status == 404
    assert visitor.request.get("/temoignages/donnees/temoignages.json").json()["testimonies"] == []
