"""Themes and the M57 functional codes mapped to them (longest mapped prefix wins)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from webapp.atlas.models import (
    FunctionalCode,
    Theme,
)
from webapp.atlas.service.common import _clean, _invalid
from webapp.commissions import service as commissions
from webapp.core import audit
from webapp.extensions import db

# --- themes and functional codes --------------------------------------------------------------------

def themes() -> list[Theme]:
    return list(db.session.scalars(db.select(Theme).order_by(Theme.position, Theme.name)))


def theme_by_slug(slug: str) -> Theme | None:
    return db.session.scalar(db.select(Theme).where(Theme.slug == slug))


def find_theme(text: str) -> Theme | None:
    """A theme by its slug or its name, ignoring case and accents."""
    key = commissions.slugify(text or "")
    return db.session.scalar(db.select(Theme).where(Theme.slug.in_([key, f"{key}-theme"])).order_by(Theme.slug))


# Paths of the public atlas that a theme's page (/atlas/<slug>) must not shadow.
RESERVED_SLUGS = {"gestion", "espaces", "affiches", "donnees"}


def get_or_create_theme(name: str, position: int = 0) -> Theme:
    theme = find_theme(name)
    if theme is None:
        slug = commissions.slugify(name)
        theme = Theme(name=_clean(name, 160), slug=f"{slug}-theme" if slug in RESERVED_SLUGS else slug,
                      position=position)
        db.session.add(theme)
        db.session.flush()
    return theme


def map_code(actor, code: str, theme: Theme, label: str = "") -> FunctionalCode:
    """Map an M57 functional code (and every finer code under it) to a theme."""
    code = (code or "").strip()
    if not re.fullmatch(r"\d{1,6}", code):
        raise _invalid(_("Un code fonctionnel M57 est fait de chiffres (ex. 4, 42, 421)."),
                       {"code": [_("Code invalide.")]})
    mapping = db.session.get(FunctionalCode, code)
    before = {"theme_id": mapping.theme_id} if mapping else None
    if mapping is None:
        mapping = FunctionalCode(code=code)
        db.session.add(mapping)
    mapping.theme, mapping.label = theme, _clean(label, 160)
    db.session.flush()
    audit.record(actor, "atlas.code_mapped", theme, before, {"code": code, "theme_id": theme.id})
    return mapping


def code_map() -> dict[str, Theme]:
    return {m.code: m.theme for m in db.session.scalars(db.select(FunctionalCode))}


def theme_for_code(code: str, mapping: dict[str, Theme] | None = None) -> Theme | None:
    """The theme of the longest mapped prefix of ``code`` ("4211" → "42" → "4")."""
    mapping = code_map() if mapping is None else mapping
    for end in range(len(code), 0, -1):
        if code[:end] in mapping:
            return mapping[code[:end]]
    return None
