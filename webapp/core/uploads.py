"""Files uploaded from phones by UUID with their size and SHA-256, stored under instance/media/ (never in
the database). Shared by the domains that capture media offline (excursions' evidence, testimonies' videos):
a row with the columns of ``UploadedFile`` describes the file, this module writes and checks its bytes.

Two ways in, both ending with a SHA-256 check and a durable file before anything is confirmed (the phone
deletes its copy on that answer):

- a large file comes in chunks at the offset the server holds (the size of ``<id>.part``), so a cut
  upload resumes where it stopped (a chunk is written as it arrives: a cut keeps what arrived); the last
  chunk triggers the check;
- small files (photos downscaled on the phone, short recordings) travel several per request, whole, one
  after the other (a "bundle", ``core/bundles.py``): on a mobile network each request costs a round trip,
  and 40 photos sent one by one spend more time waiting than sending. Each file of a bundle is kept as
  soon as it is verified, so a cut loses only the file in flight.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.exceptions import ClientDisconnected

from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.core.types import UTCDateTime


class UploadedFile:
    """Columns of a file declared with its size and SHA-256; its bytes live in instance/media/<id>.

    While uploading, the bytes held are the size of ``<id>.part`` (see ``received_bytes``), so an
    interrupted upload resumes where it stopped without a database write per chunk; ``received`` is set
    once the file is verified.
    """

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    received: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def complete(self) -> bool:
        return self.completed_at is not None



def chunk_max_bytes() -> int:
    """The largest chunk a page may send (its chunks grow with the link up to this): within a request's limit."""
    config = current_app.config
    return min(config["UPLOAD_CHUNK_MAX_BYTES"], config["MAX_CONTENT_LENGTH"] or config["UPLOAD_CHUNK_MAX_BYTES"])


def media_folder() -> Path:
    folder = Path(current_app.instance_path) / "media"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def media_path(media: UploadedFile) -> Path:
    """The verified file; ``.part`` holds the bytes of an upload in progress."""
    return media_folder() / str(media.id)


def part_path(media: UploadedFile) -> Path:
    return media_folder() / f"{media.id}.part"


@contextmanager
def locked(media: UploadedFile) -> Iterator[None]:
    """Hold the media's lock while its bytes are written: two uploads of the same file (a phone's retry
    while the first request still runs) take turns, in one process or several (gunicorn workers).

    A lock file next to the media, locked with ``flock``: on SQLite there is no row lock, and on
    PostgreSQL the row lock (``with_for_update``) is taken too but only spans one database.
    """
    with open(media_folder() / f"{media.id}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _stored_whole(media: UploadedFile) -> bool:
    """The verified file is on disk (a twin request completed it; its commit may still be on its way)."""
    if not media.complete and media_path(media).exists():
        mark_complete(media)
    return media.complete


def received_bytes(media: UploadedFile) -> int:
    """How many bytes the server holds: the size of the partial file (no database write per chunk)."""
    if media.complete:
        return media.size
    part = part_path(media)
    return part.stat().st_size if part.exists() else 0


BLOCK_BYTES = 1024 * 1024  # a chunk is received, hashed and written by blocks of this size


@dataclass
class Incoming:
    """A chunk's bytes: ``length`` of them from ``stream``, still on their way (a request's body) or in
    memory (``of``)."""

    length: int
    stream: object

    @classmethod
    def of(cls, data: bytes) -> Incoming:
        return cls(len(data), io.BytesIO(data))

    def blocks(self) -> Iterator[bytes]:
        left = self.length
        while left:
            block = self.stream.read(min(BLOCK_BYTES, left))
            if not block:
                raise ClientDisconnected()
            left -= len(block)
            yield block

    def read_all(self) -> bytes:
        return b"".join(self.blocks())


def write_chunk(media: UploadedFile, offset: int, chunk: bytes | Incoming) -> UploadedFile:
    """Append ``chunk`` at ``offset``; at the last byte, check the SHA-256 before accepting the file.

    The offset must be what the server holds: a client that lost an answer asks again (HEAD) and resumes.
    Partial bytes are not synced to disk one chunk at a time: a partial file damaged by a crash fails the
    final SHA-256 check and is sent again from the device, which keeps its copy until then. A connection
    cut in the middle of a chunk keeps the bytes that arrived: the device resumes after them.
    """
    if media.complete:
        return media
    with locked(media):
        return _write_chunk(media, offset, chunk if isinstance(chunk, Incoming) else Incoming.of(chunk))


def _write_chunk(media: UploadedFile, offset: int, chunk: Incoming) -> UploadedFile:
    # Under the media's lock: what the server holds cannot change while this chunk is checked and written.
    if _stored_whole(media):
        return media
    held = received_bytes(media)
    if offset < held and offset + chunk.length <= held and _holds(media, offset, chunk.read_all()):
        return media  # a retry of a chunk already stored: answered with the current offset
    if offset != held:
        raise OffsetMismatch(media, held)
    if offset + chunk.length > media.size:
        raise DomainError(_("Le fichier dépasse la taille annoncée."), status=413)
    part = part_path(media)
    last = offset + chunk.length == media.size
    hasher = _running_hash(media, offset)
    try:
        with open(part, "r+b" if offset else "wb") as handle:
            handle.seek(offset)  # at the offset the chunk claims, never past what was verified as held
            _store(chunk, handle, hasher)
            if last:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        _forget_hash(media)  # it may count bytes that were not written: the file is read back at the end
        raise
    if last:
        _forget_hash(media)
        # Hashed while written; read back only when earlier chunks went to another process (or before
        # a restart), whose running hash this process does not have.
        _complete(media, part, hasher.hexdigest() if hasher is not None else None)
    elif hasher is not None:
        _keep_hash(media, offset + chunk.length, hasher)
    return media


def _store(chunk: Incoming, handle, hasher) -> None:
    """Write the chunk at the handle's position, block by block, each block hashed too.

    A thread of the pool hashes and writes a block while this one receives the next: the network, SHA-256
    and the disk all release the GIL, so a large chunk costs about the slowest of the three, not their sum.
    """
    def keep(block: bytes) -> None:
        if hasher is not None:
            hasher.update(block)
        handle.write(block)

    pending = None
    try:
        for block in chunk.blocks():
            if pending is not None:
                pending.result()  # in order, and a failed write stops the chunk
            pending = _hashing_pool().submit(keep, block)
    finally:
        if pending is not None:
            pending.result()  # nothing is written once the request has let the media's lock go


# The SHA-256 of each upload in progress, as far as its chunks went through this process: a phone sends
# its chunks one after the other on one kept-alive connection, hence to one worker, so the last chunk
# finds the hash of all the others here and the file is never read back. Bounded (a few hundred bytes
# per upload); an upload missing here (evicted, other worker, restart) is read back once at the end.
_HASHES: OrderedDict[uuid.UUID, tuple[int, object]] = OrderedDict()
_HASHES_LOCK = threading.Lock()
_HASHES_KEPT = 512


_POOLS: dict[int, ThreadPoolExecutor] = {}  # by process: gunicorn forks its workers after import


def _hashing_pool() -> ThreadPoolExecutor:
    """Threads that hash and write a chunk's blocks while the request's thread receives the next, made by the
    process that uses them."""
    with _HASHES_LOCK:
        pool = _POOLS.get(os.getpid())
        if pool is None:
            pool = _POOLS[os.getpid()] = ThreadPoolExecutor(max_workers=4, thread_name_prefix="upload-hash")
        return pool


def _running_hash(media: UploadedFile, offset: int):
    """The hash of the bytes before ``offset``, or None when this process did not see them all."""
    if offset == 0:
        return hashlib.sha256()
    with _HASHES_LOCK:
        at, hasher = _HASHES.get(media.id, (None, None))
    return hasher if at == offset else None


def _keep_hash(media: UploadedFile, offset: int, hasher) -> None:
    with _HASHES_LOCK:
        _HASHES[media.id] = (offset, hasher)
        _HASHES.move_to_end(media.id)
        while len(_HASHES) > _HASHES_KEPT:
            _HASHES.popitem(last=False)


def _forget_hash(media: UploadedFile) -> None:
    with _HASHES_LOCK:
        _HASHES.pop(media.id, None)


def _holds(media: UploadedFile, offset: int, chunk: bytes) -> bool:
    with open(part_path(media), "rb") as handle:
        handle.seek(offset)
        return handle.read(len(chunk)) == chunk


class OffsetMismatch(DomainError):
    """The chunk does not start where the server stopped (a lost answer, a second device)."""

    code = "offset_mismatch"

    def __init__(self, media: UploadedFile, held: int):
        super().__init__(_("Reprise attendue à l’octet %(n)s.", n=held), fields={"offset": [str(held)]}, status=409)
        self.media = media


def _complete(media: UploadedFile, part: Path, digest: str | None = None) -> None:
    """Check the SHA-256 of the whole file, give it its final name and make it durable before confirming:
    the device deletes its copy on this answer.

    The bytes were synced by the caller; the rename is made durable by syncing the folder. A crash in
    between leaves a final file the database does not call complete; the device then sends it again.
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
    fsync_folder(final.parent)
    mark_complete(media)


def mark_complete(media: UploadedFile) -> None:
    media.received, media.completed_at = media.size, utcnow()


def fsync_folder(folder: Path) -> None:
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


def media_state(media: UploadedFile) -> dict:
    return {"id": media.id, "size": media.size, "received": received_bytes(media), "sha256": media.sha256,
            "complete": media.complete, "content_type": media.content_type}


def drop_files(media: UploadedFile) -> None:
    """Remove the file, its partial bytes and its lock file (a withdrawn testimony's video)."""
    with locked(media):
        for path in (media_path(media), part_path(media)):
            path.unlink(missing_ok=True)
    (media_folder() / f"{media.id}.lock").unlink(missing_ok=True)


# --- the HTTP side of a chunked upload (the domains' API handlers load the row and check the policy) ------

_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")


def chunk_offset(offset: int | None) -> int:
    """The chunk's offset: ``?offset=`` or a ``Content-Range: bytes start-end/total`` header."""
    if offset is not None:
        return offset
    match = _RANGE.match(request.headers.get("Content-Range", ""))
    if match is None:
        abort(400, description="Offset missing: ?offset= or Content-Range: bytes start-end/total.")
    return int(match.group(1))


def upload_response(media: UploadedFile, schema, status: int = 200):
    """The file's state as ``schema`` dumps it, with ``Upload-Offset`` and ``Upload-Complete``."""
    response = jsonify(schema.dump(media_state(media)))
    response.status_code = status
    response.headers["Upload-Offset"] = str(received_bytes(media))
    response.headers["Upload-Complete"] = "?1" if media.complete else "?0"
    return response


def receive_chunk(media: UploadedFile, offset: int, schema):
    """Write the request's body at ``offset`` as it arrives; a wrong offset answers 409 with the one the
    server holds (before reading the body)."""
    stream = request.stream  # first: a body over MAX_CONTENT_LENGTH is refused here (413)
    length = request.content_length
    # A body without its length (chunked transfer encoding) is read whole first, as it always was.
    chunk = Incoming(length, stream) if length is not None else request.get_data(cache=False)
    try:
        write_chunk(media, offset, chunk)
    except OffsetMismatch as mismatch:
        response = upload_response(media, schema, 409)
        response.set_data(jsonify({"error": {"code": mismatch.code, "message": mismatch.message,
                                             "fields": mismatch.fields}}).get_data())
        return response
    return upload_response(media, schema)
