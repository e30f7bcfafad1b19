"""What every part of the commissions' rules shares: field labels, limits, the 422 error."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from webapp.core.errors import DomainError

DEFAULT_LABELS = {
    "title": _l("Nom du projet ou de la politique"),
    "problem": _l("Problématique de départ"),
    "target_public": _l("Public cible"),
    "people": _l("Personnes impliquées et contacts"),
    "chronology": _l("Chronologie simplifiée"),
    "key_figures": _l("Chiffres clés"),
    "expected_results": _l("Résultats attendus"),
    "obtained_results": _l("Résultats obtenus"),
}
TEXT_FIELDS = ("problem", "target_public", "expected_results", "obtained_results")
REQUIRED_TO_SUBMIT = ("title", "problem", "target_public", "expected_results")
MAX_TEXT = 4000
MAX_ROWS = 20
MAX_SCALE = 7
MAX_EXTRA_FIELDS = 12


def _invalid(message: str, fields: dict | None = None) -> DomainError:
    return DomainError(message, fields=fields, status=422)


def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "champ"


def _text(value, limit: int = MAX_TEXT) -> str:
    # NUL characters would be refused by PostgreSQL (a 500): they are never meaningful in a text.
    return str(value or "").replace("\x00", "").strip()[:limit]
