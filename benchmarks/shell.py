"""App shell benchmark: compressed size of the shell, and the time to show the inbox offline vs online.

Run with no argument (under a minute): ``.venv/bin/python benchmarks/shell.py``. It starts Tandem on a
throwaway SQLite instance with the demo authority, signs in as an élu in headless Chromium, then opens
the inbox (or the home page if the notes are absent) several times with the server up, then with the
server stopped (served by the service worker). Last line: ``shell: ratio X`` (offline / online).
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["TANDEM_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="tandem-bench-")
os.environ["TANDEM_QUEUE_IMMEDIATE"] = "1"
os.environ.pop("REDIS_URL", None)
os.environ.pop("DATABASE_URL", None)

from werkzeug.serving import make_server  # noqa: E402

from webapp import create_app  # noqa: E402

CHROMIUM = os.environ.get("TANDEM_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PASSWORD = "bench-tandem-2026"
ELU = "sebastien.mathieu@vallee-haute.fr"
RUNS = 7


class Server:
    """The app over HTTP on one loopback port, stoppable and restartable."""

    def __init__(self, app):
        self.app, self.port, self.httpd = app, 0, None

    def start(self):
        self.httpd = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.httpd.server_port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def prepare():
    from argon2 import PasswordHasher

    from webapp.accounts import service

    # The demo hashes a password per account: cheap hashing keeps the run under a minute; sign-in
    # cost is not what this benchmark measures.
    service._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    app = create_app()
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "--password", PASSWORD])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    return app


def shell_size(page, url: str) -> tuple[int, int]:
    """gzip size of the page's HTML and of the CSS and JS it loads (modules included)."""
    html = page.evaluate("fetch(location.href).then(r => r.text())")
    assets = page.evaluate("""performance.getEntriesByType('resource').map(e => e.name)
        .filter(u => /\\.(css|js)(\\?|$)/.test(u))""")
    total_raw, total_gz = len(html.encode()), len(gzip.compress(html.encode(), 9))
    for asset in sorted(set(assets)):
        body = page.evaluate("(u) => fetch(u).then(r => r.text())", asset)
        total_raw += len(body.encode())
        total_gz += len(gzip.compress(body.encode(), 9))
    return total_raw, total_gz


def time_to_show(page, url: str) -> float:
    """Milliseconds from navigation start to a painted main heading."""
    start = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.locator("main h1").wait_for()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    app = prepare()
    server = Server(app)
    server.start()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                      base_url=f"http://127.0.0.1:{server.port}")
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Adresse e-mail professionnelle").fill(ELU)
        page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/")
        target = "/notes/inbox" if page.goto("/notes/inbox").status == 200 else "/"
        page.evaluate("() => navigator.serviceWorker.ready")
        for _ in range(50):
            if page.evaluate("() => navigator.serviceWorker.controller !== null"):
                break
            page.wait_for_timeout(100)
        page.goto(target)
        raw, compressed = shell_size(page, target)
        online = [time_to_show(page, target) for _ in range(RUNS)]
        server.stop()
        offline = [time_to_show(page, target) for _ in range(RUNS)]
        browser.close()
    on, off = statistics.median(online), statistics.median(offline)
    page_name = re.sub(r"^/$", "accueil", target)
    print(f"page: {page_name}")
    print(f"shell: {raw / 1024:.1f} KB raw, {compressed / 1024:.1f} KB gzip (HTML + CSS + JS)")
    print(f"online: median {on:.0f} ms over {RUNS} loads")
    print(f"offline: median {off:.0f} ms over {RUNS} loads (service worker, server stopped)")
    print(f"total run: {time.perf_counter() - started:.0f} s")
    print(f"shell: ratio {off / on:.2f}")


if __name__ == "__main__":
    main()
