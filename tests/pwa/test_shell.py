"""The manifest, the service worker script and the offline page, as the server delivers them."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from webapp.pwa import shell


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_makes_tandem_installable_in_french(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["name"] == "Tandem" and manifest["short_name"] == "Tandem" and manifest["lang"] == "fr"
    assert (manifest["display"], manifest["start_url"], manifest["scope"]) == ("standalone", "/", "/")
    assert manifest["theme_color"] == "#1d3557"
    shortcuts = {s["name"]: s["url"] for s in manifest["shortcuts"]}
    assert shortcuts["Accueil"] == "/" and shortcuts["Boîte de réception"] == "/notes/inbox"
    assert shortcuts["Nouvelle capture"] == "/excursions/capture"


def test_every_shortcut_opens_a_page(client, make):
    client.login(make.elu())
    for shortcut in client.get("/manifest.webmanifest").get_json()["shortcuts"]:
        assert client.get(shortcut["url"]).status_code == 200, shortcut["url"]


def test_the_icons_are_real_pngs_of_the_declared_sizes(client):
    purposes = set()
    for icon in client.get("/manifest.webmanifest").get_json()["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            width, height = png_size(response.data)
            assert f"{width}x{height}" == icon["sizes"]
            purposes.add((icon["sizes"], icon["purpose"]))
        response.close()
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_every_page_links_the_manifest(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<script type="module" src="/static/js/pwa.js">' in page  # one URL per module (as imported)


def test_the_service_worker_is_served_fresh_for_the_whole_app(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    script = response.get_data(as_text=True)
    assert "__PRECACHE__" not in script and "__VERSION__" not in script
    assert 'request.method !== "GET"' in script  # writes are never intercepted


def test_the_precache_lists_the_shell_with_content_hashed_urls_that_all_load(client, app):
    script = client.get("/sw.js").get_data(as_text=True)
    precache = json.loads(script.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    assert "/offline" not in precache  # stored from a signed-in page instead (it carries the navigation)
    assert len(precache) == len(set(precache))
    assert any(url.startswith("/static/css/app.css?v=") for url in precache)
    static = Path(app.static_folder)
    for path in [*static.glob("js/*.js"), *static.glob("css/*.css")]:
        name = str(path.relative_to(static))
        assert any(url.split("?")[0] == f"/static/{name}" for url in precache), name
    assert any(url.startswith("/static/icons/icon-512.png?v=") for url in precache)
    for url in precache:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_the_version_changes_when_the_shell_changes(app, monkeypatch, tmp_path):
    with app.test_request_context():
        before = shell.build(app)
        source = tmp_path / "sw.js"
        source.write_text(shell.SOURCE.read_text() + "\n// changed\n")
        monkeypatch.setattr(shell, "SOURCE", source)
        after = shell.build(app)
    assert before.version != after.version and before.precache == after.precache


def test_the_offline_page_is_in_french(client):
    page = client.get("/offline").get_data(as_text=True)
    assert "Vous êtes hors ligne" in page
