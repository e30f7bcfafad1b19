"""Push fixtures: VAPID keys for the app, a fake push service on loopback, subscribed devices."""

from __future__ import annotations

import pytest
from py_vapid import Vapid

from tests.push.fake_push_service import Device, FakePushService
from webapp.extensions import db
from webapp.jobs import huey
from webapp.push import preferences
from webapp.push.models import PushSubscription


@pytest.fixture(autouse=True)
def _empty_schedule():
    """Tasks scheduled for later by one test (retries, quiet hours) must not leak into the next."""
    huey.storage.flush_schedule()
    yield
    huey.storage.flush_schedule()


@pytest.fixture
def vapid_keys(app, monkeypatch):
    vapid = Vapid()
    vapid.generate_keys()
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", vapid.private_pem().decode())
    monkeypatch.setitem(app.config, "VAPID_SUBJECT", "mailto:dsi@vallee-haute.fr")
    return vapid


@pytest.fixture
def push_service():
    service = FakePushService()
    service.start()
    yield service
    service.stop()
    assert service.errors == []


@pytest.fixture
def subscribed(push_service, vapid_keys):
    """subscribed(user) → the device, registered for ``user``, with quiet hours off (tests run any time)."""

    def make(user, name: str | None = None) -> Device:
        device = Device()
        endpoint = push_service.endpoint_for(device, name or f"{user.id.hex}-{len(push_service.devices)}")
        db.session.add(PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=device.p256dh,
                                        auth=device.auth_b64))
        preferences.save(user, muted_kinds=[], quiet_start=None, quiet_end=None)
        db.session.commit()
        return device

    return make
