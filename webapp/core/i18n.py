"""Translation of the interface's fixed strings, for the code paths that say many of them per page.

Flask-Babel's ``gettext`` costs about 7 µs a call, mostly finding the request's language and catalogue
again; an inbox page says some seventy things (labels, statuses, dates). Here the language is found
once per list and each (language, string) pair is translated once per process. Only for fixed
strings of the code: the memo grows with the catalogue, never with what people type.
"""

from __future__ import annotations

from flask_babel import get_locale, get_translations

_memo: dict[tuple[str, str], str] = {}


def language() -> str:
    """The language in force here ("fr", "en"): the request's, or a ``force_locale`` block's."""
    return str(get_locale())


def translated(string: str, lang: str | None = None) -> str:
    """``gettext(string)`` without formatting; ``lang`` as given by ``language()`` in this same context."""
    key = (lang or language(), string)
    text = _memo.get(key)
    if text is None:
        text = _memo[key] = get_translations().ugettext(string)
    return text
