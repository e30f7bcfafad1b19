"""The outbox: writes made offline reach the server once, in order, when it is back."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import PASSWORD
from tests.push.fake_push_service import Device
from tests.pwa.conftest import server_down, wait_controlled, wait_js
from tests.support.browser import axe_violations, sign_in
from webapp.extensions import db
from webapp.push.models import PushPreference, PushSubscription

pytestmark = pytest.mark.browser

SUBSCRIPTIONS = "/api/v1/push/subscriptions"
PREFERENCES = "/api/v1/push/preferences"


def subscription_body(name: str) -> dict:
    device = Device()
    return {"endpoint": f"https://push.example.net/send/{name}",
            "keys": {"p256dh": device.p256dh, "auth": device.auth_b64}}


def enqueue(page, method: str, url: str, body: dict, label: str = "") -> dict:
    return page.evaluate("""([method, url, body, label]) => import('/static/js/outbox.js')
        .then(m => m.enqueue({method, url, body, label}))""", [method, url, body, label])


def outbox_count(page) -> int:
    return page.evaluate("import('/static/js/outbox.js').then(m => m.pending()).then(e => e.length)")


def test_a_write_queued_offline_is_sent_once_after_the_page_was_closed(phone, make, live_server, requests_seen):
    elu = make.elu()
    page = phone()
    sign_in(page, elu, PASSWORD)
    wait_controlled(page)
    with server_down(live_server):
        entry = enqueue(page, "POST", SUBSCRIPTIONS, subscription_body("a"), "Abonnement")
        status = page.locator("#outbox-status")
        status.get_by_text("1 envoi en attente").wait_for()
        assert status.get_by_role("button", name="Envoyer maintenant").is_visible()
        context = page.context
        page.close()  # the person closes the app, still without network
    assert requests_seen.count("POST", SUBSCRIPTIONS) == 0
    page = context.new_page()
    page.goto("/")  # opening the app replays
    wait_js(page, "import('/static/js/outbox.js').then(m => m.pending()).then(e => e.length === 0)")
    page.locator("#outbox-status").wait_for(state="hidden")
    page.reload()
    page.wait_for_timeout(500)
    assert requests_seen.count("POST", SUBSCRIPTIONS) == 1
    assert [k for m, p, k in requests_seen.seen if p == SUBSCRIPTIONS] == [entry["id"]]
    db.session.expire_all()
    assert db.session.scalar(db.select(PushSubscription)).user_id == elu.id


def test_entries_replay_in_order_on_envoyer_maintenant(phone, make, live_server, requests_seen):
    elu = make.elu()
    page = phone()
    sign_in(page, elu, PASSWORD)
    wait_controlled(page)
    with server_down(live_server):
        enqueue(page, "PUT", PREFERENCES, {"muted_kinds": [], "quiet_start": 20, "quiet_end": 6})
        enqueue(page, "PUT", PREFERENCES, {"muted_kinds": ["general"], "quiet_start": 21, "quiet_end": 8})
        page.locator("#outbox-status").get_by_text("2 envois en attente").wait_for()
    send_now = page.get_by_role("button", name="Envoyer maintenant")
    # Another trigger (a Background Sync retry, a visibility change) may replay first once the server is
    # back: then the bar is already gone, and what matters (both sent, once each, in order) still holds.
    try:
        send_now.click(timeout=5000)
    except PlaywrightTimeoutError:
        assert not send_now.is_visible()
    wait_js(page, "import('/static/js/outbox.js').then(m => m.pending()).then(e => e.length === 0)")
    assert requests_seen.count("PUT", PREFERENCES) == 2
    db.session.expire_all()
    pref = db.session.get(PushPreference, elu.id)
    assert (pref.muted_kinds, pref.quiet_start, pref.quiet_end) == (["general"], 21, 8)  # the last one wins


def test_a_refused_write_stays_visible_with_the_server_message(phone, make, requests_seen):
    page = phone()
    sign_in(page, make.elu(), PASSWORD)
    wait_controlled(page)
    enqueue(page, "PUT", PREFERENCES, {"quiet_start": 21, "quiet_end": None}, "Heures de silence")
    status = page.locator("#outbox-status")
    status.get_by_text("1 envoi refusé").wait_for()
    assert "Heures de silence : Certaines informations sont invalides." in status.inner_text()
    assert requests_seen.count("PUT", PREFERENCES) == 1
    page.reload()  # kept on the device, not retried, until the person drops it
    status.get_by_text("1 envoi refusé").wait_for()
    assert requests_seen.count("PUT", PREFERENCES) == 1
    assert axe_violations(page) == []
    status.get_by_role("button", name="Abandonner : Heures de silence").click()
    status.wait_for(state="hidden")
    assert outbox_count(page) == 0


def test_a_form_marked_data_outbox_is_queued_then_sent_as_json(phone, make, live_server, requests_seen):
    elu = make.elu()
    page = phone()
    sign_in(page, elu, PASSWORD)
    wait_controlled(page)
    # A form as a domain template would write it (built through the DOM: the CSP forbids inline scripts).
    page.evaluate("""() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/nowhere';
        form.dataset.outbox = '';
        form.dataset.apiUrl = '/api/v1/push/preferences';
        form.dataset.apiMethod = 'PUT';
        form.innerHTML = `<input name="csrf_token" value="x">
          <input name="muted_kinds" type="checkbox" value="general" checked>
          <input name="muted_kinds" type="checkbox" value="note_received">
          <input name="quiet_start" type="number" value="23"><input name="quiet_end" type="number" value="5">
          <button type="submit">Enregistrer</button>`;
        document.querySelector('main').append(form);
    }""")
    with server_down(live_server):
        page.get_by_role("button", name="Enregistrer").click()
        page.get_by_text("Enregistré sur l’appareil, envoi dès que possible.").wait_for()
        assert page.url.endswith("/")  # not posted to /nowhere
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_js(page, "import('/static/js/outbox.js').then(m => m.pending()).then(e => e.length === 0)")
    assert requests_seen.count("POST", "/nowhere") == 0
    db.session.expire_all()
    pref = db.session.get(PushPreference, elu.id)
    assert (pref.muted_kinds, pref.quiet_start, pref.quiet_end) == (["general"], 23, 5)
