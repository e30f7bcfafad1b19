"""Signed-in devices: "Rester connecté" keeps a phone signed in for REMEMBER_DAYS of disuse, a shared
computer's sign-in ends with the browser (and after SHARED_IDLE_HOURS idle), and signing a device out
from the profile page really ends it, cookies included."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import PASSWORD
from webapp.accounts.models import DeviceSession
from webapp.extensions import db

PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Mobile Safari/537.36")
DESK_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def sign_in(app, user, user_agent: str, remember: bool):
    device = app.test_client()
    device.environ_base["HTTP_USER_AGENT"] = user_agent
    data = {"email": user.email, "password": PASSWORD} | ({"remember": "1"} if remember else {})
    assert device.post("/login", data=data).status_code == 302
    return device


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def closed_and_reopened(client):
    """The app was closed: the browser-session cookie is gone, only the lasting cookies remain."""
    client.delete_cookie("session")
    return client


def age(user, days: float = 0, hours: float = 0) -> None:
    for device in db.session.scalars(db.select(DeviceSession).where(DeviceSession.user_id == user.id)):
        device.last_seen_at -= timedelta(days=days, hours=hours)
    db.session.commit()


def test_a_remembered_phone_stays_signed_in_after_closing_the_app_a_shared_computer_does_not(app, make):
    elu = make.elu()
    phone = sign_in(app, elu, PHONE_UA, remember=True)
    shared = sign_in(app, elu, DESK_UA, remember=False)
    assert phone.get_cookie("remember_token") is not None and shared.get_cookie("remember_token") is None
    assert signed_in(closed_and_reopened(phone))
    assert not signed_in(closed_and_reopened(shared))


def test_the_profile_lists_the_devices_and_signing_one_out_ends_it_for_good(app, make):
    elu = make.elu()
    phone = sign_in(app, elu, PHONE_UA, remember=True)
    desk = sign_in(app, elu, DESK_UA, remember=False)
    page = desk.get("/profile").get_data(as_text=True)
    assert "Chrome sur Android" in page and "Firefox sur Windows" in page
    assert page.count("<span class=\"tag\">cet appareil</span>") == 1 and "Sans « Rester connecté »" in page
    phone_row = db.session.scalar(db.select(DeviceSession).where(DeviceSession.remember.is_(True)))
    response = desk.post(f"/profile/devices/{phone_row.id}/sign-out")
    assert response.status_code == 302 and signed_in(desk)
    assert not signed_in(phone)  # its session cookie names an ended device
    assert not signed_in(closed_and_reopened(phone))  # and so does its "Rester connecté" cookie
    assert "Chrome sur Android" not in desk.get("/profile").get_data(as_text=True)


def test_nobody_signs_out_someone_elses_device(app, make):
    elu, other = make.elu(), make.elu()
    sign_in(app, elu, PHONE_UA, remember=True)
    intruder = sign_in(app, other, DESK_UA, remember=False)
    theirs = db.session.scalar(db.select(DeviceSession).where(DeviceSession.user_id == elu.id))
    assert intruder.post(f"/profile/devices/{theirs.id}/sign-out").status_code == 404
    db.session.refresh(theirs)
    assert theirs.ended_at is None


def test_a_remembered_phone_ends_after_sixty_days_unused_and_each_use_pushes_that_back(app, make):
    elu = make.elu()
    phone = sign_in(app, elu, PHONE_UA, remember=True)
    age(elu, days=59)
    assert signed_in(closed_and_reopened(phone))  # used: the sixty days start again
    age(elu, days=59)
    assert signed_in(closed_and_reopened(phone))
    age(elu, days=61)
    assert not signed_in(closed_and_reopened(phone))


def test_a_shared_sign_in_ends_after_twelve_idle_hours_even_if_the_browser_stays_open(app, make):
    agent = make.agent()
    shared = sign_in(app, agent, DESK_UA, remember=False)
    age(agent, hours=11)
    assert signed_in(shared)
    age(agent, hours=13)
    assert not signed_in(shared)


def test_signing_out_and_changing_the_password_end_the_devices_they_should(app, make):
    agent = make.agent()
    phone = sign_in(app, agent, PHONE_UA, remember=True)
    desk = sign_in(app, agent, DESK_UA, remember=False)
    desk.post("/profile/password", data={"current_password": PASSWORD,
                                "new_password": "un-nouveau-mot-de-passe", "confirm": "un-nouveau-mot-de-passe"})
    assert signed_in(desk) and not signed_in(phone)
    desk.post("/logout")
    assert not signed_in(desk)
    assert db.session.scalar(db.select(db.func.count()).select_from(DeviceSession)
                             .where(DeviceSession.ended_at.is_(None))) == 0


def test_a_long_list_of_sign_ins_shows_this_device_first_and_sums_up_the_oldest(app, make):
    agent = make.agent()
    for _ in range(7):
        sign_in(app, agent, DESK_UA, remember=False)
    phone = sign_in(app, agent, PHONE_UA, remember=True)
    page = phone.get("/profile").get_data(as_text=True)
    devices = page.split('id="devices-title"', 1)[1]
    assert devices.index("Chrome sur Android") < devices.index("Firefox sur Windows")
    assert devices.count('<li class="device') == 6 and "Et 2 autres connexions plus anciennes." in devices
