"""Sending one notification to one device through its push service (pywebpush, VAPID).

Follows Mastodon's push worker: ids in, TTL and Urgency always set, a timeout, the subscription deleted
when the push service says it is gone (404/410), ``Retry-After`` honoured on 429, retry on 5xx.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import requests
from pywebpush import WebPushException, webpush

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.push.models import Notification, PushSubscription
from webapp.push.vapid import VapidKeys

TTL = 24 * 3600  # a notification older than a day is no longer worth showing
TIMEOUT = 10  # seconds
DEFAULT_RETRY = 60
MAX_RETRY_AFTER = 6 * 3600
HIGH_URGENCY = ("overdue", "escalation")


@dataclass(frozen=True)
class Outcome:
    """What happened to one send: sent, gone (subscription deleted), retry (after some seconds), failed."""

    state: str
    retry_after: int | None = None
    status: int | None = None


def payload(notification: Notification) -> str:
    """Title, short text and link only: never a note's content (it may show on a lock screen)."""
    return json.dumps({"title": notification.title, "body": notification.body, "url": notification.url},
                      ensure_ascii=False)


def urgency(kind: str) -> str:
    return "high" if any(word in kind for word in HIGH_URGENCY) else "normal"


def retry_after(response) -> int:
    """Seconds to wait, from ``Retry-After`` (seconds or an HTTP date), bounded."""
    value = (response.headers.get("Retry-After") or "").strip() if response is not None else ""
    seconds = DEFAULT_RETRY
    if value.isdigit():
        seconds = int(value)
    elif value:
        try:
            seconds = int((parsedate_to_datetime(value) - utcnow()).total_seconds())
        except (TypeError, ValueError):
            seconds = DEFAULT_RETRY
    return max(1, min(seconds, MAX_RETRY_AFTER))


def send(subscription: PushSubscription, notification: Notification, keys: VapidKeys) -> Outcome:
    """Send once; the caller decides when to retry."""
    try:
        webpush(subscription.info(), data=payload(notification), vapid_private_key=keys.vapid,
                # A fresh claims dict per send: pywebpush writes "aud" and "exp" into it.
                vapid_claims={"sub": keys.subject}, ttl=TTL, timeout=TIMEOUT,
                headers={"Urgency": urgency(notification.kind), "Topic": notification.id.hex[:32]})
    except WebPushException as exc:
        return _failure(subscription, exc.response)
    except requests.RequestException:
        return Outcome("retry", DEFAULT_RETRY)
    subscription.last_success_at = utcnow()
    return Outcome("sent", status=201)


def _failure(subscription: PushSubscription, response) -> Outcome:
    status = response.status_code if response is not None else None
    if status in (404, 410):
        db.session.delete(subscription)
        return Outcome("gone", status=status)
    if status == 429:
        return Outcome("retry", retry_after(response), status)
    if status is None or status == 408 or status >= 500:
        return Outcome("retry", retry_after(response) if status else DEFAULT_RETRY, status)
    # Other 4xx (bad key, payload too large…): a defect on our side; keep the device, do not retry.
    return Outcome("failed", status=status)
