"""Captions as WebVTT: timecodes typed as people read them (``1:05``, ``00:01:05.500``), cues checked, and
the file served to the ``<track kind="captions">`` of the video."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from webapp.core.errors import DomainError

_TIMECODE = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?\s*$")
MAX_MS = 6 * 3600 * 1000


def parse_timecode(text: str) -> int | None:
    """``[hh:]mm:ss[.mmm]`` → milliseconds; None when unreadable."""
    match = _TIMECODE.match(text or "")
    if match is None:
        return None
    hours, minutes, seconds, millis = match.groups()
    if int(seconds) > 59 or (hours is not None and int(minutes) > 59):
        return None
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int((millis or "0").ljust(3, "0"))


def timecode(ms: int) -> str:
    """Milliseconds → ``hh:mm:ss.mmm`` (WebVTT's form, also shown in the cue editor)."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def check_cue(start_ms: int | None, end_ms: int | None, text: str) -> None:
    errors = {}
    if start_ms is None:
        errors["start"] = [str(_l("Temps illisible : mm:ss ou hh:mm:ss.mmm."))]
    if end_ms is None:
        errors["end"] = [str(_l("Temps illisible : mm:ss ou hh:mm:ss.mmm."))]
    elif start_ms is not None and not start_ms < end_ms <= MAX_MS:
        errors["end"] = [str(_l("La fin doit venir après le début."))]
    if not (text or "").strip():
        errors["text"] = [str(_l("Écrivez le texte du sous-titre."))]
    elif "-->" in text:
        errors["text"] = [str(_l("Le texte ne peut pas contenir « --> »."))]
    if errors:
        raise DomainError(str(_l("Vérifiez le sous-titre.")), errors, status=422)


def webvtt(cues) -> str:
    """The WebVTT file of ``cues`` (blank lines inside a text would end the cue: folded into one line)."""
    lines = ["WEBVTT", ""]
    for n, cue in enumerate(cues, 1):
        text = "\n".join(line for line in cue.text.splitlines() if line.strip())
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [str(n), f"{timecode(cue.start_ms)} --> {timecode(cue.end_ms)}", text, ""]
    return "\n".join(lines)
