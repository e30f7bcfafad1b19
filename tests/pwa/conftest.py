"""PWA browser helpers: wait for the service worker, stop the server for a while, wait for the outbox."""

from __future__ import annotations

import contextlib

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.browser import wait_until


def wait_controlled(page) -> None:
    """Until the service worker controls the page and the page itself is kept for offline reading."""
    # Generous waits: on a loaded machine installing the shell and storing the notes ahead take a while.
    wait_js(page, "navigator.serviceWorker.controller !== null", timeout=20)
    wait_js(page, "caches.match(location.href, {cacheName: 'tandem-pages'}).then(r => !!r)", timeout=20)
    # Signed in: the offline page (with the navigation) is stored ahead of time.
    wait_js(page, "caches.match('/offline', {cacheName: 'tandem-ahead'}).then(r => !!r)", timeout=20)


def wait_js(page, expression: str, timeout: float = 10) -> None:
    """Until an async expression is truthy in the page."""
    wait_until(page, expression, timeout)


# Nothing waits in the outbox (entries refused by the server stay, shown, until the person drops them).
OUTBOX_EMPTY = """indexedDB.databases().then((dbs) => !dbs.some((d) => d.name === "tandem-outbox")
  || new Promise((resolve) => {
    const open = indexedDB.open("tandem-outbox");
    open.onsuccess = () => {
      const all = open.result.transaction("entries").objectStore("entries").getAll();
      all.onsuccess = () => { open.result.close(); resolve(all.result.every((e) => e.state === "failed")); };
    };
    open.onerror = () => resolve(false);
}))"""


@contextlib.contextmanager
def server_down(live_server):
    """The server goes away (as in a train), then comes back on the same port."""
    live_server.stop()
    try:
        yield
    finally:
        live_server.start()


def eventually(page, check, timeout: float = 20) -> None:
    """``check`` (assertions on the database) once the page's outbox has sent everything it held: an entry
    leaves the device only after the server's 2xx, so the server has it by then."""
    wait_until(page, OUTBOX_EMPTY, timeout)
    check()


def send_now(page) -> None:
    """The person taps "Envoyer maintenant" once the server is back. Another trigger (a Background Sync
    event, a visibility change) may have replayed first: then the bar is already gone (a page that reloads
    once its entry is sent may even detach the button under the tap), and the callers' own assertions
    (what reached the server, what the page shows) still decide."""
    button = page.get_by_role("button", name="Envoyer maintenant")
    try:
        button.click(timeout=5000)
    except PlaywrightTimeoutError:
        assert not button.is_visible()
