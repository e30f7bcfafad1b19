"""Notifying people: store the notification, then let the worker deliver it (push, else e-mail)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.core import facts
from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.push.models import Notification, PushSubscription

# Called with the ids of new notifications after they are flushed; the PWA layer plugs delivery here.
_deliverers: list = []


def on_new_notifications(deliver) -> None:
    if deliver not in _deliverers:
        _deliverers.append(deliver)


def notify(recipients: Iterable, *, kind: str, title, body="", url: str = "/",
           exclude=None) -> list[Notification]:
    """Notify each recipient once (duplicates and ``exclude`` removed).

    ``title`` and ``body`` must say what happened, never what a note contains: they may reach a lock
    screen through Web Push. Give them as ``lazy_gettext`` texts: each recipient reads them in their own
    language, not in the language of the person who acted.
    """
    seen = set()
    created = []
    for user in recipients:
        if user is None or user.id in seen or (exclude is not None and user.id == exclude.id):
            continue
        seen.add(user.id)
        with force_locale(user.language or "fr"):
            item = Notification(user_id=user.id, kind=kind, title=str(title)[:120], body=str(body)[:240], url=url)
        db.session.add(item)
        created.append(item)
    db.session.flush()
    for deliver in _deliverers:
        deliver([n.id for n in created])
    return created


# Domains name what a notification is about (the note, the visit) from its link, at reading time: the
# stored title stays content-free for lock screens, while the signed-in centre may say which note it is.
_namers: list = []


def register_subject_namer(namer) -> None:
    """``namer(user, urls) -> {url: name}`` for the links of its domain this person may still see."""
    if namer not in _namers:
        _namers.append(namer)


def subjects(user, items: Iterable[Notification]) -> dict[str, str]:
    urls = {n.url for n in items}
    names: dict[str, str] = {}
    for namer in _namers:
        names.update(namer(user, urls))
    return names


def mark_read_at(user, path: str) -> int:
    """Opening the page a notification points to reads it."""
    stmt = db.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None),
                                         Notification.url == path)
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount


def unread_count(user) -> int:
    return db.session.scalar(_unread_statement(), {"user": user.id}) or 0


@cache
def _unread_statement():
    """Built once per process."""
    return db.select(_unread(db.bindparam("user", type_=Notification.user_id.type)))


def _unread(user):
    return (db.select(db.func.count()).select_from(Notification)
            .where(Notification.user_id == user, Notification.read_at.is_(None)).scalar_subquery())


def unread_badge(user) -> int:
    """``unread_count`` for the navigation's badge, read with the page's other navigation facts."""
    return facts.of(user, "push.unread") or 0


def register_facts() -> None:
    facts.register("push.unread", lambda user, now, day: _unread(user))


def recent(user, limit: int = 50) -> list:
    """The person's latest notifications as rows (``url``, ``title``, ``body``, ``created_at``, ``read_at``):
    a list to show, not records to change."""
    return db.session.execute(_recent_statement(), {"user": user.id, "limit": limit}).all()


@cache
def _recent_statement():
    """Built once per process: every notification centre runs it."""
    return (db.select(Notification.url, Notification.title, Notification.body, Notification.created_at,
                      Notification.read_at)
            .where(Notification.user_id == db.bindparam("user", type_=Notification.user_id.type))
            .order_by(Notification.created_at.desc()).limit(db.bindparam("limit", type_=db.Integer)))


def mark_read(user, notification_ids: Iterable | None = None) -> int:
    """Mark some (or all) of the person's notifications read; returns how many changed."""
    stmt = db.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_ids is not None:
        stmt = stmt.where(Notification.id.in_(list(notification_ids)))
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount


def register_subscription(user, endpoint: str, p256dh: str, auth: str, user_agent: str):
    """Record this device's subscription for ``user``.

    The endpoint is unique. Registered to someone else, it moves only when the keys are the ones stored:
    the ``auth`` secret is made by the browser and never shown, so matching it proves the poster holds the
    device (the same browser, now signed in as another person). Anyone who merely learnt an endpoint gets a
    409 and the owner keeps their notifications.
    """
    subscription = db.session.scalar(db.select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint)
        db.session.add(subscription)
    elif subscription.user_id != user.id and (subscription.p256dh, subscription.auth) != (p256dh, auth):
        raise DomainError(_("Cet appareil est déjà abonné pour une autre personne."), status=409)
    subscription.user_id = user.id
    subscription.p256dh, subscription.auth, subscription.user_agent = p256dh, auth, user_agent
    db.session.flush()
    return subscription
