"""Worker tasks delivering notifications: push to each device, e-mail for people without one."""

from __future__ import annotations

import uuid

from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.core.clock import utcnow
from webapp.core.links import public_link
from webapp.extensions import db
from webapp.jobs import task
from webapp.jobs.mail import send_mail
from webapp.push import preferences, sending, vapid
from webapp.push.models import Notification, PushSubscription

MAX_ATTEMPTS = 6


def _notification(notification_id: str) -> Notification | None:
    return db.session.get(Notification, uuid.UUID(str(notification_id)))


@task()
def deliver_notification(notification_id: str) -> str:
    """Deliver one stored notification, respecting the person's preferences and quiet hours."""
    notification = _notification(notification_id)
    if notification is None or notification.read_at is not None:
        return "skipped"
    pref = preferences.of(notification.user)
    if not preferences.wants(pref, notification.kind):
        return "muted"
    resume = preferences.quiet_until_for(pref, notification, utcnow())
    if resume is not None:
        deliver_notification.schedule((str(notification_id),), eta=resume)
        return "deferred"
    keys = vapid.load()
    subscriptions = db.session.scalars(db.select(PushSubscription).where(
        PushSubscription.user_id == notification.user_id)).all()
    if keys is None or not subscriptions:
        return _mail(notification)
    outcomes = [_push(subscription, notification, keys, attempt=1) for subscription in subscriptions]
    if all(outcome.state == "gone" for outcome in outcomes):
        return _mail(notification)
    return ",".join(outcome.state for outcome in outcomes)


@task()
def push_to_subscription(subscription_id: str, notification_id: str, attempt: int) -> str:
    """A later attempt for one device (after a 429 or a server error)."""
    subscription = db.session.get(PushSubscription, uuid.UUID(str(subscription_id)))
    notification = _notification(notification_id)
    keys = vapid.load()
    if subscription is None or notification is None or keys is None or notification.read_at is not None:
        return "skipped"
    return _push(subscription, notification, keys, attempt).state


def _push(subscription: PushSubscription, notification: Notification, keys, attempt: int) -> sending.Outcome:
    outcome = sending.send(subscription, notification, keys)
    if outcome.state == "retry" and attempt < MAX_ATTEMPTS:
        # 429 says when; otherwise back off: 1, 2, 4, 8… minutes.
        delay = outcome.retry_after if outcome.status == 429 else outcome.retry_after * 2 ** (attempt - 1)
        push_to_subscription.schedule((str(subscription.id), str(notification.id), attempt + 1), delay=delay)
    return outcome


def _mail(notification: Notification) -> str:
    user = notification.user
    link = public_link(notification.url)
    with force_locale(user.language or "fr"):
        subject = f"Tandem : {notification.title}"
        body = "\n\n".join(filter(None, [notification.title, notification.body,
                                         _("Ouvrir dans Tandem : %(link)s", link=link)]))
    send_mail(user.email, subject, body)
    return "mail"
