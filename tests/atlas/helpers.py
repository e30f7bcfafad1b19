"""Atlas fixtures: the demo's themes and M57 codes, two mandates, budget lines."""

from __future__ import annotations

from datetime import date

from webapp.atlas import service
from webapp.atlas.demo import THEMES
from webapp.extensions import db


def themes_and_codes(actor=None) -> dict:
    """The six demo themes with their functional codes; returns {name: Theme}."""
    found = {}
    for position, (name, (codes, _text)) in enumerate(THEMES.items()):
        theme = service.get_or_create_theme(name, position)
        for code in codes:
            service.map_code(actor, code, theme)
        found[name] = theme
    db.session.commit()
    return found


def two_mandates(make):
    previous = make.mandate("2015-2021", date(2015, 4, 2), date(2021, 6, 30))
    current = make.mandate("2021-2028", date(2021, 7, 1), date(2028, 3, 31))
    return previous, current


CSV_HEADER = "mandat;annee;theme;code_fonctionnel;montant\n"
