"""The push API: public key, one subscription per device, preferences; who may do what."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.push.fake_push_service import Device
from webapp.extensions import db
from webapp.push.models import PushSubscription


def body(endpoint: str = "https://push.example.net/send/abc123", device: Device | None = None) -> dict:
    device = device or Device()
    return {"endpoint": endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth_b64},
            "expirationTime": None}


def count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(PushSubscription))


def test_the_public_key_is_the_one_browsers_subscribe_with(client, vapid_keys):
    from webapp.push.vapid import public_key_of

    data = client.get("/api/v1/push/vapid-public-key").get_json()
    assert data == {"enabled": True, "key": public_key_of(vapid_keys)}
    assert len(data["key"]) == 87  # 65 bytes, base64url without padding


def test_push_is_off_without_keys(client):
    assert client.get("/api/v1/push/vapid-public-key").get_json() == {"enabled": False, "key": None}


def test_subscribing_twice_with_the_same_key_creates_one_subscription(client, make):
    client.login(make.elu())
    headers = {"Idempotency-Key": "b4c2a0c4-0a55-4f43-9d7e-1c1f0d0c7a11"}
    first = client.post("/api/v1/push/subscriptions", json=body(), headers=headers)
    again = client.post("/api/v1/push/subscriptions", json=body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert count() == 1


def test_one_subscription_per_device_moves_to_whoever_signs_in(app, make):
    first, second = make.agent(), make.elu()
    a, b = app.test_client(), app.test_client()
    a.login(first)
    b.login(second)
    browser = Device()  # the same browser: its subscription keeps its endpoint and its keys
    assert a.post("/api/v1/push/subscriptions", json=body(device=browser)).status_code == 201
    assert b.post("/api/v1/push/subscriptions", json=body(device=browser)).status_code == 201
    [subscription] = db.session.scalars(db.select(PushSubscription)).all()
    assert subscription.user_id == second.id


def test_someone_elses_endpoint_is_not_taken_over(app, make):
    owner, intruder = make.elu(), make.agent()
    a, b = app.test_client(), app.test_client()
    a.login(owner)
    b.login(intruder)
    phone = Device()
    assert a.post("/api/v1/push/subscriptions", json=body(device=phone)).status_code == 201
    stolen = b.post("/api/v1/push/subscriptions", json=body(device=Device()))
    assert stolen.status_code == 409
    [subscription] = db.session.scalars(db.select(PushSubscription)).all()
    assert subscription.user_id == owner.id and subscription.auth == phone.auth_b64


def test_unsubscribing_forgets_the_device(client, make):
    client.login(make.elu())
    client.post("/api/v1/push/subscriptions", json=body())
    assert client.delete("/api/v1/push/subscriptions", json={"endpoint": body()["endpoint"]}).status_code == 204
    assert count() == 0
    assert client.delete("/api/v1/push/subscriptions", json={"endpoint": body()["endpoint"]}).status_code == 404


def test_the_server_only_posts_to_https_push_services(client, make):
    client.login(make.agent())
    for endpoint in ("http://push.example.net/x/abcdef", "file:///etc/passwd/abc", "javascript:alert(1)//"):
        response = client.post("/api/v1/push/subscriptions", json=body(endpoint))
        assert response.status_code == 422, endpoint
    assert count() == 0


def test_bad_keys_are_refused_with_field_errors(client, make):
    client.login(make.agent())
    response = client.post("/api/v1/push/subscriptions", json={"endpoint": "https://push.example.net/a/b",
                                                               "keys": {"p256dh": "court", "auth": ""}})
    assert response.status_code == 422
    assert "keys" in response.get_json()["error"]["fields"]


def test_signed_out_people_cannot_subscribe(client):
    response = client.post("/api/v1/push/subscriptions", json=body())
    assert response.status_code == 401
    assert client.get("/api/v1/push/preferences").status_code == 401


@pytest.mark.quiet_nights
def test_preferences_default_to_quiet_nights_and_can_be_changed(client, make):
    client.login(make.elu())
    assert client.get("/api/v1/push/preferences").get_json() == {"muted_kinds": [], "quiet_start": 22,
                                                                 "quiet_end": 7}
    changed = {"muted_kinds": ["general"], "quiet_start": 21, "quiet_end": 8}
    assert client.put("/api/v1/push/preferences", json=changed).get_json() == changed
    assert client.get("/api/v1/push/preferences").get_json() == changed
    half = client.put("/api/v1/push/preferences", json={"quiet_start": 21, "quiet_end": None})
    assert half.status_code == 422


def test_the_notification_centre_offers_the_device_switch_and_preferences(client, make):
    client.login(make.elu())
    page = client.get("/notifications").get_data(as_text=True)
    assert "Recevoir les notifications sur cet appareil" in page
    assert "iOS 16.4" in page and "écran d’accueil" in page
    response = client.post("/notifications/preferences", data={"quiet": "1", "quiet_start": "23",
                                                                "quiet_end": "6"})
    assert response.status_code == 302
    saved = client.get("/api/v1/push/preferences").get_json()
    assert saved == {"muted_kinds": ["designation", "excursion", "general", "note"], "quiet_start": 23, "quiet_end": 6}
    page = client.get("/notifications").get_data(as_text=True)
    start = page.split('<select id="quiet_start"', 1)[1].split("</select>", 1)[0]
    end = page.split('<select id="quiet_end"', 1)[1].split("</select>", 1)[0]
    assert start.count("<option") == end.count("<option") == 24
    assert '<option value="23" selected>23 h</option>' in start and start.count("selected") == 1
    assert '<option value="6" selected>6 h</option>' in end and end.count("selected") == 1


def test_a_notification_is_shown_as_text_whatever_its_title_or_body(client, make):
    from webapp.push import service

    elu = make.elu()
    service.notify([elu], kind="general", title="<script>alert(1)</script>", body="<b>gras</b> & co",
                   url='/notes/"onmouseover="x')
    db.session.commit()
    client.login(elu)
    page = client.get("/notifications").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;gras&lt;/b&gt; &amp; co · <time" in page
    assert 'href="/notes/&#34;onmouseover=&#34;x"' in page


def test_push_init_writes_the_keys_once(app, monkeypatch):
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    key = Path(app.config["INSTANCE_PATH"]) / "vapid_private.pem"
    key.unlink(missing_ok=True)
    first = app.test_cli_runner().invoke(args=["push", "init"])
    assert first.exit_code == 0, first.output
    pem = key.read_text()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----") and oct(key.stat().st_mode)[-3:] == "600"
    second = app.test_cli_runner().invoke(args=["push", "init"])
    assert "déjà présente" in second.output and key.read_text() == pem
    with app.test_request_context():
        from webapp.push.vapid import load

        assert load().public_key in first.output
    key.unlink()
