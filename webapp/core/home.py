"""The home page lists what a person has to do; each domain contributes its own to-do sections.

Domains register a provider in ``create_app``; the home view asks each provider in turn. This keeps
``accounts`` ignorant of the domains built on top of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TodoItem:
    """One thing to do, with where to do it."""

    label: str
    url: str
    detail: str = ""
    urgency: str = "later"  # overdue | today | soon | later


@dataclass
class TodoSection:
    """A titled list of things to do, shown on the home page even when empty."""

    title: str
    items: list[TodoItem] = field(default_factory=list)
    empty: str = ""
    more_url: str | None = None
    order: int = 50


Provider = Callable[[object], list[TodoSection]]
_providers: list[Provider] = []


def register_provider(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def sections_for(user) -> list[TodoSection]:
    sections: list[TodoSection] = []
    for provider in _providers:
        sections.extend(provider(user))
    return sorted(sections, key=lambda s: s.order)


@dataclass
class NavEntry:
    """A link of the main navigation, shown to the people ``visible`` accepts."""

    label: Callable[[], str]
    endpoint: str
    visible: Callable[[object], bool]
    order: int = 50
    badge: Callable[[object], int] | None = None  # e.g. unread count, shown next to the label
    primary: bool | None = None  # shown in the bar itself; default: order below PRIMARY_BELOW


_nav: list[NavEntry] = []
# Three domain links fit beside "Accueil" and "Notifications" on a 390 px phone; the rest go under "Plus".
PRIMARY_BELOW = 35


def register_nav(entry: NavEntry) -> None:
    if all(e.endpoint != entry.endpoint for e in _nav):
        _nav.append(entry)


def nav_for(user) -> list[dict]:
    from flask import url_for

    entries = sorted((e for e in _nav if e.visible(user)), key=lambda e: e.order)
    return [{"label": e.label(), "url": url_for(e.endpoint), "badge": e.badge(user) if e.badge else 0,
             "primary": e.primary if e.primary is not None else e.order < PRIMARY_BELOW} for e in entries]
