"""Bundles: several small files, whole, one after the other in one request's body (``core/uploads.py``
says why); each is verified and kept as soon as it has arrived."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from werkzeug.exceptions import ClientDisconnected

from webapp.core.errors import DomainError
from webapp.core.formatting import megabytes
from webapp.core.uploads import (
    UploadedFile,
    fsync_folder,
    locked,
    mark_complete,
    media_folder,
    media_path,
    part_path,
)

_PART = re.compile(r"^\s*([0-9a-fA-F-]{36})\s*=\s*(\d{1,10})\s*$")


@dataclass
class BundlePart:
    """One file of a bundle, with what became of it (HTTP-like status and a message for the person)."""

    id: uuid.UUID
    size: int
    media: UploadedFile | None = None
    status: int = 200
    message: str = ""

    def refuse(self, status: int, message: str) -> None:
        self.status, self.message = status, message

    def state(self) -> dict:
        complete = self.media is not None and self.status == 200 and self.media.complete
        return {"id": str(self.id), "status": self.status, "complete": complete,
                "received": self.size if complete else 0, "error": self.message or None}


def parse_bundle(header: str | None, content_length: int | None, limit: int, max_files: int) -> list[BundlePart]:
    """Read ``Bundle-Parts: <media id>=<size>, ...`` (the order of the bytes in the body)."""
    entries = [e for e in (header or "").split(",") if e.strip()]
    if not entries:
        raise DomainError(_("En-tête Bundle-Parts manquant : « identifiant=taille, … »."), status=400)
    if len(entries) > max_files:
        raise DomainError(_("%(n)s fichiers au plus par envoi groupé.", n=max_files), status=413)
    parts = []
    for entry in entries:
        match = _PART.match(entry)
        if match is None:
            raise DomainError(_("En-tête Bundle-Parts illisible : « identifiant=taille, … »."), status=400)
        try:
            parts.append(BundlePart(uuid.UUID(match.group(1)), int(match.group(2))))
        except ValueError:
            raise DomainError(_("En-tête Bundle-Parts illisible : « identifiant=taille, … »."), status=400) from None
    if len({p.id for p in parts}) != len(parts):
        raise DomainError(_("Un même fichier figure deux fois dans l’envoi groupé."), status=400)
    total = sum(p.size for p in parts)
    if total > limit:
        raise DomainError(_("Envoi groupé trop volumineux : %(size)s Mo pour %(limit)s Mo au plus.",
                            size=megabytes(total), limit=megabytes(limit)), status=413)
    if content_length != total:
        raise DomainError(_("La longueur du corps ne correspond pas à la somme des tailles annoncées."),
                          status=400)
    return parts


def receive_bundle(parts: list[BundlePart], stream) -> list[BundlePart]:
    """Read the body file by file; verify and keep each accepted one at once.

    Parts already refused (unknown, forbidden, wrong size) or already complete are read and skipped. A
    connection cut ends the loop: what was verified before it is kept, the rest is marked not received.
    The folder is synced once for the whole bundle, and only then are the files called complete.
    """
    kept: list[UploadedFile] = []
    try:
        for index, part in enumerate(parts):
            data = _read_exactly(stream, part.size)
            if data is None:
                for missing in parts[index:]:
                    missing.refuse(400, _("Connexion coupée : fichier non reçu."))
                break
            if part.status == 200 and not part.media.complete:
                with locked(part.media):
                    if media_path(part.media).exists() or _keep(part, data):
                        kept.append(part.media)
    finally:
        if kept:
            fsync_folder(media_folder())
            for media in kept:
                mark_complete(media)
    return parts


def _read_exactly(stream, size: int) -> bytes | None:
    chunks, left = [], size
    try:
        while left:
            block = stream.read(left)
            if not block:
                return None
            chunks.append(block)
            left -= len(block)
    except ClientDisconnected:
        return None
    return b"".join(chunks)


def _keep(part: BundlePart, data: bytes) -> bool:
    """Check the SHA-256 from memory, then write, sync and name the file; its folder is synced later."""
    if hashlib.sha256(data).hexdigest() != part.media.sha256:
        part.refuse(422, _("Le fichier reçu ne correspond pas à l’original (empreinte SHA-256 différente). "
                           "Il reste sur l’appareil et sera renvoyé."))
        return False
    partial = part_path(part.media)
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, media_path(part.media))
    return True
