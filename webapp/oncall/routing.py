"""When a note is sent: does it go to the person on call? Yes when its situation's rule in the agreed
anti-manuel (``cooperation.service.rule_for``) has the modality ``oncall``, or is marked urgent and the
rota takes urgent notes; and the note's service (or its direction) has a rota."""

from __future__ import annotations

from datetime import datetime

from webapp.cooperation import service as cooperation
from webapp.notes.models import Note
from webapp.oncall import paging
from webapp.oncall.models import Page, Rota

ONCALL = "oncall"


def rota_for(note: Note) -> Rota | None:
    """The rota an urgent note goes to, or None when it goes the usual way."""
    rule = cooperation.rule_for(note)
    if rule is None or not (rule.modality == ONCALL or rule.urgent):
        return None
    rota = paging.rota_for_unit(note.unit)
    if rota is None or (rule.modality != ONCALL and not rota.urgent_notes):
        return None
    return rota


def on_sent(note: Note, now: datetime) -> Page | None:
    rota = rota_for(note)
    return paging.page_note(note, rota, now) if rota is not None else None


def register() -> None:
    from webapp.notes import service as notes

    notes.on_sent(on_sent)
