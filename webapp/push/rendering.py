"""The notification centre's list, made in Python: fifty rows of a few values each, where a template
spends microseconds on every value (as ``notes.rendering`` for the inbox). Every value is escaped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from markupsafe import Markup, escape

from webapp.core.i18n import translated


def notification_rows(items: Iterable, subjects: dict[str, str], when: Callable, lang: str) -> Markup:
    """The ``<li>`` of each notification: unread ones marked, its subject (the note or visit it is about)
    named when the person may open it, when it came."""
    new_tag = f'<span class="new-tag">{escape(translated("Nouveau", lang))}</span> '
    out = []
    for n in items:
        subject = subjects.get(n.url)
        named = (f'<span class="event">{escape(n.title)}</span><span class="visually-hidden"> : </span> '
                 f'<span class="subject">{escape(subject)}</span>') if subject else \
            f'<span class="event alone">{escape(n.title)}</span>'
        body = f"{escape(n.body)} · " if n.body else ""
        out.append(
            f'<li class="{"read" if n.read_at else "unread"}">\n'
            f'    <a href="{escape(n.url)}">{"" if n.read_at else new_tag}{named}</a>\n'
            f'    <span class="muted">{body}<time datetime="{n.created_at.isoformat()}">{escape(when(n.created_at))}'
            f'</time></span>\n  </li>')
    return Markup("\n".join(out))  # noqa: S704 (every value escaped above)


@lru_cache(maxsize=64)
def hour_options(selected: int) -> Markup:
    """The 24 ``<option>`` of an hour menu, ``selected`` chosen: the preferences show two."""
    return Markup("".join(f'<option value="{h}"{" selected" if h == selected else ""}>{h} h</option>'  # noqa: S704
                          for h in range(24)))
