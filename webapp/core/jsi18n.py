"""The scripts' strings in the person's language.

Scripts are written with French strings wrapped in ``t("…")`` / ``tn(n, "…", "…")`` (static/js/i18n.js),
extracted by Babel into the same catalogue as the templates. Each page carries the translations of those
strings for its language in a JSON block, so they work offline too (the page is cached whole).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

SCRIPT_FOLDERS = ("static/js/",)


@cache
def catalogue(translations: str, language: str) -> dict:
    """``{French: translation}`` (a list of forms for plurals) for the strings used by the scripts."""
    po = Path(translations) / language / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return {}  # French, the source language, needs no catalogue
    with po.open("rb") as handle:
        messages = read_po(handle)
    out = {}
    for message in messages:
        if not message.id or message.fuzzy or not _in_scripts(message.locations):
            continue
        if isinstance(message.id, tuple):
            if all(message.string):
                out[message.id[0]] = list(message.string)
        elif message.string:
            out[message.id] = message.string
    return out


def _in_scripts(locations) -> bool:
    return any(path.startswith(SCRIPT_FOLDERS) for path, _line in locations)
