"""The budget CSV import, all or nothing.

Budget CSV format (sample: ``webapp/atlas/sample_budget.csv``)
---------------------------------------------------------------
- UTF-8 (with or without BOM) or Windows-1252; separator ``;`` (or ``,``, detected from the header).
- Header line, in any order, accents and case ignored: ``mandat;annee;theme;code_fonctionnel;montant``
  (``theme`` or ``code_fonctionnel`` may be left out, not both).
- ``mandat``: the label of a mandate known to Tandem (``2021-2028``).
- ``annee``: four digits, within the mandate's years.
- ``theme``: a theme's name or slug (``Solidarités`` or ``solidarites``); and/or ``code_fonctionnel``: an M57
  functional code (``4``, ``42``, ``421``) mapped to a theme, matched by its longest mapped prefix; when
  both are given they must agree.
- ``montant``: executed spending in euros, ``1 234 567,89`` or ``1234567.89`` (no negative amounts).
- Blank lines are ignored. One bad line refuses the whole file, with every bad line listed; a good file
  replaces the lines previously imported for the same (mandate, year) pairs. A theme's share is its sum
  over the mandate divided by the sum of every line of that mandate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from webapp.atlas.models import (
    BudgetLine,
    Theme,
)
from webapp.atlas.service.budget import _check_year, mandates, parse_amount
from webapp.atlas.service.common import _invalid
from webapp.atlas.service.themes import code_map, find_theme, theme_for_code
from webapp.commissions import service as commissions
from webapp.core import audit, csvfile
from webapp.extensions import db
from webapp.organisation.models import Mandate

CSV_COLUMNS = ("mandat", "annee", "theme", "code_fonctionnel", "montant")
MAX_CSV_LINES = 20_000


@dataclass
class ParsedLine:
    line: int
    mandate: Mandate
    year: int
    theme: Theme
    code: str | None
    amount: Decimal


@dataclass
class ImportResult:
    lines: list[ParsedLine] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _header(row: list[str]) -> dict[str, int] | None:
    names = [commissions.slugify(c).replace("-", "_") for c in row]
    index = {name: names.index(name) for name in CSV_COLUMNS if name in names}
    required = {"mandat", "annee", "montant"}
    if not required <= set(index) or not ({"theme", "code_fonctionnel"} & set(index)):
        return None
    return index


def parse_budget_csv(text: str) -> ImportResult:
    """Check every line; the result carries either parsed lines or the errors of each bad line."""
    result = ImportResult()
    rows = list(csvfile.rows((text or "").replace("\x00", "")))
    header = _header(rows[0]) if rows else None
    if header is None:
        result.errors.append((1, _("En-tête attendu : %(cols)s (séparateur ; ou ,).", cols=";".join(CSV_COLUMNS))))
        return result
    if len(rows) - 1 > MAX_CSV_LINES:
        result.errors.append((1, _("Au plus %(n)d lignes par fichier.", n=MAX_CSV_LINES)))
        return result
    mapping, by_label = code_map(), {m.label: m for m in mandates()}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        parsed = _parse_row(number, row, header, mapping, by_label, result)
        if parsed is not None:
            result.lines.append(parsed)
    if not result.lines and not result.errors:
        result.errors.append((2, _("Le fichier ne contient aucune ligne de données.")))
    return result


def _cell(row: list[str], header: dict[str, int], name: str) -> str:
    index = header.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def _parse_row(number, row, header, mapping, by_label, result: ImportResult) -> ParsedLine | None:
    problems: list[str] = []
    mandate = by_label.get(_cell(row, header, "mandat"))
    if mandate is None:
        problems.append(_("mandat inconnu « %(v)s »", v=_cell(row, header, "mandat")))
    year_text = _cell(row, header, "annee")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    if year is None:
        problems.append(_("année invalide « %(v)s »", v=year_text))
    elif mandate is not None and not _check_year(mandate, year):
        problems.append(_("l’année %(y)d n’appartient pas au mandat %(m)s", y=year, m=mandate.label))
    theme, code = _row_theme(row, header, mapping, problems)
    try:
        amount = parse_amount(_cell(row, header, "montant"))
    except (ValueError, InvalidOperation):
        amount = None
        problems.append(_("montant invalide « %(v)s » (ex. 1 234 567,89)", v=_cell(row, header, "montant")))
    if problems:
        result.errors.append((number, " ; ".join(problems)))
        return None
    return ParsedLine(number, mandate, year, theme, code, amount)


def _row_theme(row, header, mapping, problems: list[str]) -> tuple[Theme | None, str | None]:
    theme_text, code = _cell(row, header, "theme"), _cell(row, header, "code_fonctionnel") or None
    theme = find_theme(theme_text) if theme_text else None
    if theme_text and theme is None:
        problems.append(_("thème inconnu « %(v)s »", v=theme_text))
    if code is not None:
        if not code.isdigit():
            problems.append(_("code fonctionnel invalide « %(v)s »", v=code))
            return theme, code
        by_code = theme_for_code(code, mapping)
        if by_code is None:
            problems.append(_("code fonctionnel %(c)s rattaché à aucun thème", c=code))
        elif theme is not None and by_code.id != theme.id:
            problems.append(_("le code %(c)s relève du thème « %(t)s »", c=code, t=by_code.name))
        theme = theme or by_code
    elif not theme_text:
        problems.append(_("thème ou code fonctionnel manquant"))
    return theme, code


def import_budget_csv(actor, text: str) -> ImportResult:
    """All or nothing: a file with one bad line is refused whole, with every bad line listed.

    A good file replaces the lines previously imported for the same (mandate, year) pairs, so that
    importing a corrected file twice does not count its amounts twice; manual lines are kept.
    """
    result = parse_budget_csv(text)
    if result.errors:
        fields = {_("ligne %(n)d", n=n): [message] for n, message in result.errors}
        raise _invalid(_("Fichier refusé : %(n)d ligne(s) en erreur, rien n’a été importé.", n=len(result.errors)),
                       fields)
    pairs = {(p.mandate.id, p.year) for p in result.lines}
    for mandate_id, year in pairs:
        db.session.execute(db.delete(BudgetLine).where(BudgetLine.mandate_id == mandate_id, BudgetLine.year == year,
                                                       BudgetLine.source == "csv"))
    for p in result.lines:
        db.session.add(BudgetLine(mandate=p.mandate, year=p.year, theme=p.theme, functional_code=p.code,
                                  amount=p.amount, source="csv", created_by_id=getattr(actor, "id", None)))
    db.session.flush()
    for mandate in {p.mandate for p in result.lines}:
        audit.record(actor, "atlas.budget_imported", mandate, None,
                     {"lines": sum(1 for p in result.lines if p.mandate is mandate),
                      "years": sorted({p.year for p in result.lines if p.mandate is mandate})})
    return result
