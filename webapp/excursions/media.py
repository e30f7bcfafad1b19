"""Media of evidence items, stored by UUID under instance/media/ (never in the database).

Uploads come in chunks at the offset the server holds (the size of ``<id>.part``), so a cut upload
resumes where it stopped; the last chunk triggers the SHA-256 check, and only a verified, durable file is
confirmed (the phone deletes its copy on that answer).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.excursions.models import Media
from webapp.extensions import db


def media_folder() -> Path:
    folder = Path(current_app.instance_path) / "media"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def media_path(media: Media) -> Path:
    """The verified file; ``.part`` holds the bytes of an upload in progress."""
    return media_folder() / str(media.id)


def _part_path(media: Media) -> Path:
    return media_folder() / f"{media.id}.part"


def get_media(media_id) -> Media | None:
    return db.session.get(Media, media_id)


def received_bytes(media: Media) -> int:
    """How many bytes the server holds: the size of the partial file (no database write per chunk)."""
    if media.complete:
        return media.size
    part = _part_path(media)
    return part.stat().st_size if part.exists() else 0


def write_chunk(media: Media, offset: int, chunk: bytes) -> Media:
    """Append ``chunk`` at ``offset``; at the last byte, check the SHA-256 before accepting the file.

    The offset must be what the server holds: a client that lost an answer asks again (HEAD) and resumes.
    Partial bytes are not synced to disk one chunk at a time: a partial file damaged by a crash fails the
    final SHA-256 check and is sent again from the device, which keeps its copy until then.
    """
    if media.complete:
        return media
    held = received_bytes(media)
    if offset != held:
        raise OffsetMismatch(media, held)
    if offset + len(chunk) > media.size:
        raise DomainError(_("Le fichier dépasse la taille annoncée."), status=413)
    part = _part_path(media)
    with open(part, "ab") as handle:
        handle.write(chunk)
    if offset + len(chunk) == media.size:
        # A file sent in one piece is hashed from memory; otherwise the whole file is read back.
        _complete(media, part, hashlib.sha256(chunk).hexdigest() if offset == 0 else None)
    return media


class OffsetMismatch(DomainError):
    """The chunk does not start where the server stopped (a lost answer, a second device)."""

    code = "offset_mismatch"

    def __init__(self, media: Media, held: int):
        super().__init__(_("Reprise attendue à l’octet %(n)s.", n=held), fields={"offset": [str(held)]}, status=409)
        self.media = media


def _complete(media: Media, part: Path, digest: str | None = None) -> None:
    """Check the SHA-256 of the whole file, give it its final name and make it durable before confirming:
    the device deletes its copy on this answer.

    Renamed first, then synced: one journal commit covers the bytes and the name. A crash in between
    leaves a final file the database does not call complete; the device then sends it again.
    """
    digest = digest or _sha256(part)
    if digest != media.sha256:
        # Start again from zero; the device keeps its copy until the hash is confirmed.
        part.unlink(missing_ok=True)
        raise DomainError(_("Le fichier reçu ne correspond pas à l’original (empreinte SHA-256 différente). "
                            "Il reste sur l’appareil et sera renvoyé."),
                          fields={"sha256": [digest]}, status=422)
    final = media_path(media)
    os.replace(part, final)
    with open(final, "rb") as handle:
        os.fsync(handle.fileno())
    _fsync_folder(final.parent)
    media.received, media.completed_at = media.size, utcnow()


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable too (POSIX asks for the folder to be synced after a rename)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def media_state(media: Media) -> dict:
    return {"id": media.id, "size": media.size, "received": received_bytes(media), "sha256": media.sha256,
            "complete": media.complete, "content_type": media.content_type}
