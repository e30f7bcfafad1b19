"""Browser fixtures: a live server in a thread and Debian's Chromium driven by Playwright.

Browser tests never skip: a missing Chromium is a failure, so CI cannot go green without them.
"""

from __future__ import annotations

import contextlib
import os
import random
import socket
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("TANDEM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}


def _port_outside_the_ephemeral_range() -> int:
    """A free port below the kernel's ephemeral range. The server stops and starts again on its port (the
    network coming back); a port from that range may meanwhile become the local end of an outgoing
    connection (to PostgreSQL, say), and the restart then fails with "Address already in use"."""
    low = 32768
    with contextlib.suppress(OSError, ValueError):
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for port in random.sample(range(max(1024, low - 12000), low), 200):
        with contextlib.suppress(OSError), socket.socket() as probe:
            probe.bind(("127.0.0.1", port))
            return port
    raise RuntimeError("no free port below the ephemeral range")


class LiveServer:
    """The app served over real HTTP on a free loopback port, stoppable and restartable."""

    def __init__(self, app):
        self.app = app
        self.port = 0
        self._server = None
        self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = self.port or _port_outside_the_ephemeral_range()
        self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app)
    server.start()
    # Mails and pushes link to PUBLIC_URL (never to the request's host): here, this server.
    public_url, app.config["PUBLIC_URL"] = app.config["PUBLIC_URL"], server.url
    yield server
    app.config["PUBLIC_URL"] = public_url
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (browser tests never skip)")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def phone(chromium, live_server):
    """A new phone-sized browser context factory; each call is a separate person."""
    contexts = []

    def open_page(locale: str = "fr-FR"):
        context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                       locale=locale, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, user, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Adresse e-mail professionnelle").fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def wait_until(page, expression: str, timeout: float = 10) -> None:
    """Until a JavaScript expression (awaited: it may be a promise) is truthy in the page. The condition is
    checked in the page itself, again at each turn of its event loop, so the test sleeps for no fixed time;
    a navigation meanwhile checks it again on the new page."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout
    script = f"""async (ms) => {{
        const until = Date.now() + ms;
        while (!(await ({expression}))) {{
            if (Date.now() > until) return false;
            await new Promise((resolve) => setTimeout(resolve, 25));
        }}
        return true;
    }}"""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"still false after {timeout}s: {expression}")
        try:
            if page.evaluate(script, int(left * 1000)):
                return
        except PlaywrightError as error:  # the page navigated while waiting: wait on the new one
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
            page.wait_for_load_state()


class RequestCounter:
    """WSGI middleware counting the requests that reach the app, per (method, path)."""

    def __init__(self, app):
        self.app = app
        self.inner = app.wsgi_app
        self.seen: list[tuple[str, str, str]] = []

    def __call__(self, environ, start_response):
        self.seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], environ.get("HTTP_IDEMPOTENCY_KEY", "")))
        return self.inner(environ, start_response)

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p, _ in self.seen if m == method and p == path)

    def paths(self, method: str, prefix: str) -> list[str]:
        return [p for m, p, _ in self.seen if m == method and p.startswith(prefix)]


@pytest.fixture
def requests_seen(app):
    """The requests that reached the server during the test (not only those the page sent)."""
    counter = RequestCounter(app)
    app.wsgi_app = counter
    yield counter
    app.wsgi_app = counter.inner


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                                 "wcag21aa"]}})
    return results.response["violations"]
