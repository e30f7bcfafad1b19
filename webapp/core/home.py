"""The home page lists what a person has to do; each domain contributes its own to-do sections.

Domains register a provider in ``create_app``; the home view asks each provider in turn. This keeps
``accounts`` ignorant of the domains built on top of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache


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
_provider_facts: list[str] = []


def register_provider(provider: Provider, facts: tuple[str, ...] = ()) -> None:
    """``facts``: the ``on_demand`` facts (``core.facts``) the provider reads first, to know whether it has
    anything to show. Most people have no swap to answer and no seat to describe: the home page reads these
    yes/no questions in its single facts statement instead of one statement per domain."""
    if provider not in _providers:
        _providers.append(provider)
        _provider_facts.extend(name for name in facts if name not in _provider_facts)


def ask_facts() -> None:
    """The home page is about to be built: its providers' facts come with everyone's (before the first read)."""
    from webapp.core import facts

    facts.ask(*_provider_facts)


def sections_for(user) -> list[TodoSection]:
    sections: list[TodoSection] = []
    for provider in _providers:
        sections.extend(provider(user))
    return sorted(sections, key=lambda s: s.order)


def titles_by_link(user, urls, prefix: str, statement, may_view) -> dict[str, str]:
    """``{url: title}`` for the records the links ``prefix<uuid>`` among ``urls`` point to, those ``user``
    may still see: ``statement`` (bound ``user`` and ``ids``) reads each one's ``id``, ``title`` and what
    ``may_view(user, row)`` asks, in one statement (a notification centre lists up to fifty links)."""
    from webapp.extensions import db

    wanted = ids_in(urls, prefix)
    if not wanted:
        return {}
    rows = db.session.execute(statement, {"user": user.id, "ids": list(wanted)}).all()
    return {wanted[row.id]: row.title for row in rows if may_view(user, row)}


def ids_in(urls, prefix: str) -> dict:
    """``{uuid: url}`` for the links ``prefix<uuid>`` among ``urls`` (a notification's link to a record)."""
    import uuid

    found = {}
    for url in urls:
        if url.startswith(prefix):
            try:
                found[uuid.UUID(url[len(prefix):])] = url
            except ValueError:
                continue
    return found


@dataclass
class HomeAction:
    """A button at the top of the home page for what a person starts often ("Rédiger une note")."""

    label: str
    url: str
    order: int = 50


ActionProvider = Callable[[object], list[HomeAction]]
_action_providers: list[ActionProvider] = []


def register_actions(provider: ActionProvider) -> None:
    if provider not in _action_providers:
        _action_providers.append(provider)


def actions_for(user) -> list[HomeAction]:
    actions = [action for provider in _action_providers for action in provider(user)]
    return sorted(actions, key=lambda a: a.order)


@dataclass
class NavEntry:
    """A link of the main navigation, shown to the people ``visible`` accepts."""

    label: Callable[[], str]
    endpoint: str
    visible: Callable[[object], bool]
    order: int = 50
    badge: Callable[[object], int] | None = None  # e.g. unread count, shown next to the label
    primary: bool | None = None  # a tab of the bar itself; default: among the first MAX_DOMAIN_TABS
    # The page the link opens for this person, when it is not the endpoint's own URL. Links must name the
    # page that answers without a redirect: the service worker keeps pages, not redirects.
    url: Callable[[object], str] | None = None
    icon: str = "more"  # a symbol of templates/core/_icons.html


_nav: list[NavEntry] = []
# The phone's bottom bar has five tabs: "Accueil", the first two domains this person uses (in order),
# "Notifications" and "Plus", which holds the other links.
MAX_DOMAIN_TABS = 2


def register_nav(entry: NavEntry) -> None:
    if all(e.endpoint != entry.endpoint for e in _nav):
        _nav.append(entry)


_labels: dict[tuple[str, str], str] = {}


def nav_for(user, lang: str) -> list[dict]:
    """The navigation of ``user``'s pages; ``lang`` as ``i18n.language()``. Every page builds it: labels
    are translated once per language and process."""
    from webapp.core.templating import fixed_url

    entries = sorted((e for e in _nav if e.visible(user)), key=lambda e: e.order)
    items = []
    domain_tabs = 0
    for e in entries:
        primary = e.primary if e.primary is not None else domain_tabs < MAX_DOMAIN_TABS
        domain_tabs += primary and e.primary is None
        section = fixed_url(e.endpoint)  # the link is "current" anywhere under the domain's own URL
        label = _labels.get((lang, e.endpoint)) or _labels.setdefault((lang, e.endpoint), e.label())
        items.append({"label": label, "url": e.url(user) if e.url else section, "section": section,
                      "badge": e.badge(user) if e.badge else 0, "primary": primary, "icon": e.icon})
    return items


def nav_markup(user, lang: str, path: str, endpoint: str | None, admin: bool):
    """The navigation's HTML for ``user`` on the page at ``path``: made once per language, set of links and
    current page, then reused (its template costs a page a fifth of a millisecond; few such sets exist)."""
    from flask import current_app

    from webapp.core.templating import fixed_url

    items = tuple((i["label"], i["url"], i["section"], i["badge"], i["primary"], i["icon"],
                   path.startswith(i["section"])) for i in nav_for(user, lang))
    urls = (fixed_url("accounts.home"), fixed_url("accounts.admin_people"), fixed_url("accounts.profile"))
    make = _nav_markup.__wrapped__ if current_app.debug else _nav_markup  # debug: template edits show at once
    return make(lang, items, urls, endpoint == "accounts.home", admin, path.startswith("/admin"),
                endpoint == "accounts.profile")


@lru_cache(maxsize=1024)
def _nav_markup(lang, items, urls, home_current, admin, admin_current, profile_current):
    from flask import current_app
    from markupsafe import Markup

    keys = ("label", "url", "section", "badge", "primary", "icon", "current")
    return Markup(current_app.jinja_env.get_template("core/_nav.html").render(  # noqa: S704 (a template, escaped)
        ui_lang=lang, items=[dict(zip(keys, item, strict=True)) for item in items], home_url=urls[0],
        admin_url=urls[1], profile_url=urls[2], home_current=home_current, admin=admin, admin_current=admin_current,
        profile_current=profile_current))
