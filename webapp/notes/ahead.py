"""What an élu's (or a delegatee's) phone stores ahead of time, so every note listed offline opens offline.

The service worker asks for this list on every signed-in page opened online and on every push, and
fetches what changed (DESIGN.md §5). Budget, per person: the pages of the notes waiting for them, and
their attachments of at most ``MAX_ATTACHMENT`` each, soonest deadline first, until ``BUDGET`` bytes of
attachments are reached (pages are small: a few tens of kB each). What no longer waits leaves the device.
"""

from __future__ import annotations

import hashlib

from flask import url_for

from webapp.extensions import db
from webapp.notes import service
from webapp.notes.models import Note

ACTIONABLE = ("sent", "question", "delegated", "answered")
MAX_ATTACHMENT = 2 * 1024 * 1024
BUDGET = 10 * 1024 * 1024
MAX_NOTES = 100


def version(note: Note) -> str:
    """Changes whenever the note's page would: its state and what was added to it."""
    parts = [note.status, note.updated_at.isoformat(), len(note.answers), len(note.delegations),
             len(note.renegotiations), *[r.status for r in note.renegotiations],
             *[str(a.acknowledged_at) for a in note.addressees]]
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def items(user) -> list[dict]:
    """``[{"url", "version"}]``: pages always fetched again (version None), then notes and attachments."""
    out = [{"url": url_for("pwa.offline"), "version": None},
           {"url": url_for("notes.index"), "version": None},  # the "Notes" of the navigation
           {"url": url_for("notes.inbox"), "version": None}]
    notes = db.session.scalars(service.inbox_query(user).where(Note.status.in_(ACTIONABLE))
                                       .limit(MAX_NOTES)).unique().all()
    spent = 0
    for note in notes:
        out.append({"url": url_for("notes.show", note_id=note.id), "version": version(note)})
        for attachment in note.attachments:
            if attachment.size > MAX_ATTACHMENT or spent + attachment.size > BUDGET:
                continue
            spent += attachment.size
            out.append({"url": url_for("notes.attachment", note_id=note.id, attachment_id=attachment.id),
                        "version": attachment.sha256})
    return out
