"""The manifest, the service worker script and the offline page, as the server delivers them."""

from __future__ import annotations

import base64
import hashlib
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


def test_every_module_has_one_url_the_pages_and_the_import_map_agree_on(client, app):
    response = client.get("/login")
    page = response.get_data(as_text=True)
    text = page.split('<script type="importmap">', 1)[1].split("</script>", 1)[0]
    imports = json.loads(text)["imports"]
    static = Path(app.static_folder)
    modules = sorted(f"/static/{p.relative_to(static).as_posix()}" for p in static.rglob("js/**/*.js"))
    assert sorted(imports) == modules
    for bare, hashed in imports.items():
        assert hashed.startswith(f"{bare}?v="), hashed
    # The page loads its modules by the same URLs the map gives, and the import map comes before them.
    assert f'<script type="module" src="{imports["/static/js/pwa.js"]}">' in page
    assert page.index('type="importmap"') < page.index('<script type="module"')
    # The CSP allows that one inline script by its hash, and no other.
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in response.headers["Content-Security-Policy"]


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
    assert all("?v=" in url for url in precache)
    static = Path(app.static_folder)
    shell_files = sorted(f"/static/{p.relative_to(static).as_posix()}" for folder in ("js", "css")
                         for p in (static / folder).rglob("*") if p.is_file())
    listed = sorted(url.split("?")[0] for url in precache if not url.startswith("/static/icons/"))
    assert listed == shell_files  # every file under static/js and static/css, each exactly once
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
