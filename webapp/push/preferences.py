"""Per-person push preferences: which kinds of notification, and quiet hours in Paris time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _

from webapp.core.clock import PARIS, to_paris
from webapp.extensions import db
from webapp.push.models import PushPreference

DEFAULT_QUIET = (22, 7)

# What people can choose from: families of kinds ("note" covers "note.received", "note.overdue"…).
# A domain may register a finer kind (``register_kind("note.overdue", _("Notes en retard"))``).
KINDS: dict[str, Callable[[], str] | str] = {}


def register_kind(kind: str, label) -> None:
    KINDS[kind] = label


# Kinds delivered at once, quiet hours or not (an on-call page for an urgent note).
URGENT_KINDS: set[str] = set()


def register_urgent_kind(kind: str) -> None:
    URGENT_KINDS.add(kind)


register_kind("note", _("Notes en stock"))
register_kind("excursion", _("Excursions pratiques"))
register_kind("general", _("Informations générales"))


# Domains may set the quiet hours of a notification about their records (the anti-manuel's rules):
# ``provider(notification)`` answers "urgent" (deliver now), ``(start, end)`` in Paris hours, or None.
_quiet_providers: list = []


def register_quiet_hours(provider) -> None:
    if provider not in _quiet_providers:
        _quiet_providers.append(provider)


def quiet_until_for(pref: PushPreference, notification, now: datetime) -> datetime | None:
    """When the notification may be delivered, if not now: the domain's quiet hours for it, else the
    person's own; an urgent one (its kind, or its domain says so) is never held."""
    if notification.kind in URGENT_KINDS:
        return None
    for provider in _quiet_providers:
        hours = provider(notification)
        if hours == "urgent":
            return None
        if hours is not None:
            return _quiet_until(hours[0], hours[1], now)
    return quiet_until(pref, now)


def of(user) -> PushPreference:
    """The person's preferences (defaults when never saved; not added to the session)."""
    pref = db.session.get(PushPreference, user.id)
    if pref is None:
        pref = PushPreference(user_id=user.id, muted_kinds=[], quiet_start=DEFAULT_QUIET[0],
                              quiet_end=DEFAULT_QUIET[1])
    return pref


def save(user, *, muted_kinds: list[str], quiet_start: int | None, quiet_end: int | None) -> PushPreference:
    pref = db.session.get(PushPreference, user.id) or PushPreference(user_id=user.id)
    pref.muted_kinds = sorted(set(muted_kinds))
    pref.quiet_start, pref.quiet_end = quiet_start, quiet_end
    db.session.add(pref)
    db.session.flush()
    return pref


def wants(pref: PushPreference, kind: str) -> bool:
    """False when the kind, or its family (the part before the first dot), is muted."""
    muted = set(pref.muted_kinds or [])
    return kind not in muted and kind.split(".", 1)[0] not in muted


def quiet_until(pref: PushPreference, now: datetime) -> datetime | None:
    """When quiet hours are on at ``now``, the (UTC) moment they end; otherwise None."""
    return _quiet_until(pref.quiet_start, pref.quiet_end, now)


def _quiet_until(start: int | None, end: int | None, now: datetime) -> datetime | None:
    if start is None or end is None or start == end:
        return None
    local = to_paris(now)
    hour = local.hour
    quiet = (start <= hour or hour < end) if start > end else (start <= hour < end)
    if not quiet:
        return None
    resume = datetime(local.year, local.month, local.day, end, tzinfo=PARIS)
    if resume <= local:
        day = local.date() + timedelta(days=1)
        resume = datetime(day.year, day.month, day.day, end, tzinfo=PARIS)
    return resume.astimezone(now.tzinfo)
