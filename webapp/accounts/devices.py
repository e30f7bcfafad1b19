"""Signed-in devices: each sign-in is a row, and the session cookies name it, so that signing a device out
from the profile page really ends it (its cookies then open nothing)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from flask import current_app, request, session
from flask_babel import gettext as _

from webapp.accounts.models import DeviceSession, User
from webapp.core import audit
from webapp.core.clock import utcnow
from webapp.extensions import db

# Writing "last seen" on every request would cost a write per page; a few minutes' precision is enough.
TOUCH_EVERY = timedelta(minutes=5)


def remember_for() -> timedelta:
    return timedelta(days=current_app.config["REMEMBER_DAYS"])


def shared_idle() -> timedelta:
    return timedelta(hours=current_app.config["SHARED_IDLE_HOURS"])


def expires_at(device: DeviceSession):
    return device.last_seen_at + (remember_for() if device.remember else shared_idle())


def is_live(device: DeviceSession, now=None) -> bool:
    return device.ended_at is None and expires_at(device) > (now or utcnow())


def start(user: User, user_agent: str, remember: bool) -> DeviceSession:
    """Record a sign-in and give ``user.device_id`` its row, which the session cookies then name."""
    device = DeviceSession(user_id=user.id, user_agent=(user_agent or "")[:300], remember=remember)
    db.session.add(device)
    db.session.flush()
    user.device_id = device.id
    return device


def on_signed_in(_app, user) -> None:
    """Every sign-in (the sign-in form, an activated invitation…) records its device, then names it in
    the session: Flask-Login's ``user_logged_in`` signal, sent after the session was filled."""
    if user.device_id is None:
        start(user, request.user_agent.string, remember=session.get("_remember") == "set")
        session["_user_id"] = user.get_id()


def user_for_token(token: str) -> User | None:
    """The user a session names ("user id:device id"), if that device is still signed in."""
    from sqlalchemy.orm import joinedload

    user_id, _sep, device_id = str(token).partition(":")
    try:
        device_key = uuid.UUID(device_id)
    except ValueError:
        return None  # a session from before devices were recorded: sign in again
    # The device and its person (with their unit) in one statement: every signed-in request asks it.
    row = db.session.execute(db.select(DeviceSession, User).join(User, User.id == DeviceSession.user_id)
                             .where(DeviceSession.id == device_key).options(joinedload(User.unit))).first()
    if row is None:
        return None
    device, user = row
    if str(device.user_id) != user_id or not is_live(device) or not user.active:
        return None
    _touch(device)
    user.device_id = device.id
    return user


def _touch(device: DeviceSession) -> None:
    now = utcnow()
    if now - device.last_seen_at >= TOUCH_EVERY:
        device.last_seen_at = now
        if device.remember:
            session["_remember"] = "set"  # Flask-Login renews the cookie: 60 days from the last use


def live(user: User) -> list[DeviceSession]:
    """The person's signed-in devices, the most recently used first."""
    now = utcnow()
    rows = db.session.scalars(db.select(DeviceSession).where(DeviceSession.user_id == user.id,
                                                             DeviceSession.ended_at.is_(None))
                              .order_by(DeviceSession.last_seen_at.desc())).all()
    return [d for d in rows if is_live(d, now)]


def end(user: User, device_id, reason: str = "signed_out") -> bool:
    """Sign one of the person's devices out; False if it is not theirs or already ended."""
    device = db.session.get(DeviceSession, device_id)
    if device is None or device.user_id != user.id or device.ended_at is not None:
        return False
    device.ended_at = utcnow()
    audit.record(user, "device.ended", user, None, {"device": str(device.id), "reason": reason})
    return True


def end_others(user: User, keep=None, reason: str = "signed_out") -> int:
    """Sign out every device of the person but ``keep`` (e.g. after a password change)."""
    count = 0
    for device in live(user):
        if device.id != keep and end(user, device.id, reason):
            count += 1
    return count


_BROWSERS = (("Edg/", "Edge"), ("SamsungBrowser", "Samsung Internet"), ("Firefox/", "Firefox"),
             ("FxiOS", "Firefox"), ("CriOS", "Chrome"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
            ("Macintosh", "Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def describe(user_agent: str) -> str:
    """A name a person recognises their device by: "Chrome sur Android", "Safari sur iPhone"."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if re.search(re.escape(mark), user_agent)), None)
    if browser and system:
        return _("%(browser)s sur %(system)s", browser=browser, system=system)
    return browser or system or _("Appareil inconnu")
