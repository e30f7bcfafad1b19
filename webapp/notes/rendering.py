"""How a note's Markdown becomes what its readers see: safe HTML, its plain text, its annotated passages."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from webapp.core.i18n import language, translated

_md = MarkdownIt("commonmark", {"html": False, "linkify": False})


def markdown(text: str) -> Markup:
    """Markdown rendered without raw HTML, then sanitised: a note is never a script vector."""
    return Markup(_sanitised_html(text or ""))  # noqa: S704 (sanitised by nh3)


@lru_cache(maxsize=256)
def _sanitised_html(text: str) -> str:
    """Memoised by text: a note's page is opened again and again (and stored ahead on the phones of its
    readers), its body changes rarely, and rendering then sanitising costs up to a millisecond or two."""
    return nh3.clean(_HEADING.sub(_shift_heading, _md.render(text)))


def plain_text(text: str) -> str:
    """The note as read on screen, without its Markdown marks, spaces squashed: what a reader selects."""
    return squash(html.unescape(_TAG.sub("", str(markdown(text)))))


def squash(text: str) -> str:
    return " ".join(text.split())


def highlighted_body(note) -> tuple[Markup, set]:
    """The note rendered with each annotated passage marked (``<mark id="annotation-<id>">``), so the élu's
    remarks are read where they apply. Returns the body and the ids of the annotations placed in it.

    A passage is marked where it lies within one run of text; one that spans formatting (bold, a link)
    stays listed with its quote only.
    """
    body, placed = str(markdown(note.body)), set()
    for answer in note.answers:
        if answer.kind != "annotation" or not answer.quote:
            continue
        needle = _as_html_text(answer.quote)
        parts = _TAG.split(body)  # text at even indices, tags at odd ones
        for index in range(0, len(parts), 2):
            at = parts[index].find(needle)
            if at >= 0:
                parts[index] = (f'{parts[index][:at]}<mark id="annotation-{answer.id}">{needle}</mark>'
                                f'{parts[index][at + len(needle):]}')
                placed.add(answer.id)
                break
        body = "".join(parts)
    return Markup(body), placed  # noqa: S704 (sanitised HTML plus our own marks around escaped text)


_TAG = re.compile(r"(<[^>]*>)")


def _as_html_text(text: str) -> str:
    """Text as the sanitiser writes it between tags."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;")


# The note sits under the page's h1 and the section's h2: its own headings start at h3.
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _shift_heading(match: re.Match) -> str:
    return f"<{match.group(1)}h{min(6, int(match.group(2)) + 2)}>"


def inbox_rows(key: str, lines) -> Markup:
    """The ``<li>`` of an inbox group (urgency ``key``), made here rather than by Jinja: a page shows
    thirty of them and a template spends microseconds on each of their dozen values. Every value is
    escaped; ``lines`` are ``wording.InboxLine``."""
    return note_rows((key, line) for line in lines)


def note_rows(lines) -> Markup:
    """The ``<li>`` of ``(urgency, wording.InboxLine)`` pairs: the inbox's groups, an agent's notes."""
    lang = language()
    untitled, due_words = escape(translated("(sans titre)", lang)), escape(translated("Échéance", lang))
    unread_marks = ('<span class="unread-dot" aria-hidden="true"></span>',
                    f'<span class="visually-hidden"> ({escape(translated("non lue", lang))})</span>',
                    f'<span class="tag tag-unread" aria-hidden="true">{escape(translated("Nouvelle", lang))}</span>')
    out = []
    for key, n in lines:
        dot, unread_label, new_tag = unread_marks if n.unread else ("", "", "")
        title = escape(n.title) if n.title else untitled
        due = f"{due_words} {escape(n.deadline)} " if n.deadline else ""
        unit = f" · {escape(n.unit)}" if n.unit else ""
        argument = f'\n  <span class="note-argument">{escape(n.argument)}</span>' if n.argument else ""
        out.append(
            f'<li class="note-row urgency-{key}{" unread" if n.unread else ""}" data-note-row="{n.id}">\n'
            f'  <a href="{escape(n.href)}">{dot}{title}{unread_label}</a>\n'
            f'  <span class="muted">{new_tag}<span class="tag status-{escape(n.status)}">{escape(n.words)}</span> '
            f'{due}· {escape(n.author)}{unit}</span>{argument}\n</li>')
    return Markup("".join(out))  # noqa: S704 (every value escaped above)
