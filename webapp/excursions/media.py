"""Media of evidence items: the bytes are written and checked by ``core/uploads.py`` (chunked, resumable,
SHA-256-verified uploads and bundles of small files, shared with the testimonies' videos); this module
names them for excursions."""

from __future__ import annotations

from webapp.core.bundles import BundlePart, parse_bundle, receive_bundle  # noqa: F401 (see below)
from webapp.core.uploads import (  # noqa: F401 (the excursions' names for the shared upload machinery)
    OffsetMismatch,
    chunk_max_bytes,
    chunk_offset,
    media_folder,
    media_path,
    media_state,
    receive_chunk,
    received_bytes,
    upload_response,
    write_chunk,
)
