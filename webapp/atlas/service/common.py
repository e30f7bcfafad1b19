"""What the atlas rules share: the 422 error and clean text."""

from __future__ import annotations

from webapp.core.errors import DomainError

MAX_TEXT = 4000


def _invalid(message: str, fields: dict | None = None) -> DomainError:
    return DomainError(message, fields=fields, status=422)


def _clean(text, limit: int = MAX_TEXT) -> str:
    """Trimmed text without NUL characters (PostgreSQL refuses them; they are never meaningful)."""
    return str(text or "").replace("\x00", "").strip()[:limit]
