"""PWA browser helpers: wait for the service worker, stop the server for a while, count requests."""

from __future__ import annotations

import contextlib
import time

import pytest


def wait_controlled(page) -> None:
    """Until the service worker controls the page and the page itself is kept for offline reading."""
    # Generous waits: on a loaded machine installing the shell and storing the notes ahead take a while.
    wait_js(page, "navigator.serviceWorker.controller !== null", timeout=20)
    wait_js(page, "caches.match(location.href, {cacheName: 'tandem-pages'}).then(r => !!r)", timeout=20)
    # Signed in: the offline page (with the navigation) is stored ahead of time.
    wait_js(page, "caches.match('/offline', {cacheName: 'tandem-ahead'}).then(r => !!r)", timeout=20)


def wait_js(page, expression: str, timeout: float = 10) -> None:
    """Poll an async expression in the page until it is truthy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"async () => {{ return await ({expression}); }}"):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout}s: {expression}")
        page.wait_for_timeout(100)


@contextlib.contextmanager
def server_down(live_server):
    """The server goes away (as in a train), then comes back on the same port."""
    live_server.stop()
    try:
        yield
    finally:
        live_server.start()


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


@pytest.fixture
def requests_seen(app):
    counter = RequestCounter(app)
    app.wsgi_app = counter
    yield counter
    app.wsgi_app = counter.inner


def eventually(page, check, timeout: float = 15) -> None:
    """Run ``check`` (assertions on the database) until it passes: the outbox sends in the background."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(200)
