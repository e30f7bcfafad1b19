"""The app shell the service worker precaches, and its version.

The version is a hash of the service worker's source and of every precached file, computed once at
start-up: any change to the shell changes the bytes of ``/sw.js``, which is how browsers detect an update.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

SOURCE = Path(__file__).resolve().parents[2] / "service_worker" / "sw.js"

# Static files of the shell: every script and style sheet (read from the folder, sub-folders included,
# so a new file cannot be forgotten) and the icons, each by its content-hashed URL (``asset()``), the one
# pages load and the layout's import map gives modules.
ICONS = ("icons/icon.svg", "icons/icon-192.png", "icons/icon-512.png", "icons/icon-maskable-512.png")
OFFLINE_URL = "/offline"
# Pages, and API reads, a phone keeps for reading offline: those seen last. A note page weighs some 30 KB,
# so 200 of each stay a few MB; unbounded, a mandate's worth of pages would grow until the browser, short
# of space, evicts the whole site's storage, unsent outbox included.
KEPT_COPIES = 200
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SHELL_TEMPLATES = ("base.html", "pwa/offline.html")


def shell_assets(static_folder: str) -> list[str]:
    """The shell's static files, relative to the static folder, sorted."""
    root = Path(static_folder)
    files = sorted(p.relative_to(root).as_posix() for folder in ("js", "css") for p in (root / folder).rglob("*")
                   if p.is_file())
    return files + list(ICONS)


@dataclass
class Shell:
    """What ``/sw.js`` is built from: the precache list and its version."""

    version: str
    precache: list[str]
    kept_copies: int = KEPT_COPIES

    def script(self) -> str:
        source = SOURCE.read_text(encoding="utf-8")
        return (source.replace("__VERSION__", json.dumps(self.version))
                .replace("__PRECACHE__", json.dumps(self.precache))
                .replace("__OFFLINE_URL__", json.dumps(OFFLINE_URL))
                .replace("__KEPT_COPIES__", str(self.kept_copies)))


def build(app: Flask) -> Shell:
    """Hash the shell's files and list their versioned URLs (needs a request context for ``url_for``)."""
    from webapp.core.templating import asset_url

    asset = asset_url(app)
    digest = hashlib.sha256(SOURCE.read_bytes() + str(KEPT_COPIES).encode())
    for name in SHELL_TEMPLATES:
        digest.update((TEMPLATES / name).read_bytes())
    urls = []
    for name in shell_assets(app.static_folder):
        digest.update((Path(app.static_folder) / name).read_bytes())
        urls.append(asset(name))
    # The offline page is not in the list: it is stored from a signed-in page (it carries the
    # navigation), by the worker's "store ahead" step.
    return Shell(version=digest.hexdigest()[:16], precache=urls)


def current() -> Shell:
    """The shell of the running app, built on first use (or rebuilt on every request in debug)."""
    app = current_app._get_current_object()
    shell = app.extensions.get("tandem_shell")
    if shell is None or app.debug:
        shell = app.extensions["tandem_shell"] = build(app)
    return shell
