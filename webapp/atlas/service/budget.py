"""Budget lines entered by hand, and each theme's share of the authority's total per mandate."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from webapp.atlas.models import (
    BudgetLine,
    Theme,
)
from webapp.atlas.service.common import _invalid
from webapp.atlas.service.themes import themes
from webapp.core import audit
from webapp.extensions import db
from webapp.organisation.models import Mandate

# --- budget -----------------------------------------------------------------------------------------

def mandates() -> list[Mandate]:
    return list(db.session.scalars(db.select(Mandate).order_by(Mandate.starts_on)))


def mandate_by_label(label: str) -> Mandate | None:
    return db.session.scalar(db.select(Mandate).where(Mandate.label == (label or "").strip()))


def parse_amount(text: str) -> Decimal:
    """Euros as French spreadsheets write them: "1 234 567,89", "1234567.89", "12 000 €"."""
    clean = re.sub(r"[\s\u00a0\u202f€]", "", text or "")
    # "1.234.567,89": dots group thousands when a comma marks the decimals.
    clean = clean.replace(".", "").replace(",", ".") if "," in clean and "." in clean else clean.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", clean):
        raise ValueError(text)
    return Decimal(clean)


def _check_year(mandate: Mandate, year: int) -> bool:
    return mandate.starts_on.year <= year <= mandate.ends_on.year


def add_line(actor, mandate: Mandate, year: int, theme: Theme, amount, code: str | None = None) -> BudgetLine:
    """Manual entry of one amount."""
    try:
        value = amount if isinstance(amount, Decimal) else parse_amount(str(amount))
    except (ValueError, InvalidOperation) as exc:
        raise _invalid(_("Montant invalide."), {"amount": [_("Montant invalide.")]}) from exc
    if not _check_year(mandate, year):
        raise _invalid(_("L’année %(y)d n’appartient pas au mandat %(m)s.", y=year, m=mandate.label),
                       {"year": [_("Hors du mandat.")]})
    line = BudgetLine(mandate=mandate, year=year, theme=theme, amount=value, functional_code=code or None,
                      source="manual", created_by_id=getattr(actor, "id", None))
    db.session.add(line)
    db.session.flush()
    audit.record(actor, "atlas.budget_line_added", line, None,
                 {"mandate": mandate.label, "year": year, "theme": theme.slug, "amount": str(value)})
    return line


def delete_line(actor, line: BudgetLine) -> None:
    audit.record(actor, "atlas.budget_line_deleted", line, {"amount": str(line.amount), "year": line.year}, None)
    db.session.delete(line)
    db.session.flush()


@dataclass
class Share:
    """One theme's spending in one mandate and its share of the authority's total."""

    mandate: Mandate
    theme: Theme | None
    amount: Decimal
    total: Decimal

    @property
    def share(self) -> float:
        return float(self.amount / self.total) if self.total else 0.0

    @property
    def percent(self) -> str:
        return f"{100 * self.share:.1f}".replace(".", ",") + " %"


def totals_by_mandate() -> dict[uuid.UUID, Decimal]:
    rows = db.session.execute(db.select(BudgetLine.mandate_id, db.func.sum(BudgetLine.amount))
                              .group_by(BudgetLine.mandate_id))
    return {mandate_id: Decimal(total or 0) for mandate_id, total in rows}


def shares(mandate: Mandate) -> list[Share]:
    """Every theme's share of the mandate's total budget, largest first."""
    total = totals_by_mandate().get(mandate.id, Decimal(0))
    rows = db.session.execute(db.select(BudgetLine.theme_id, db.func.sum(BudgetLine.amount))
                              .where(BudgetLine.mandate_id == mandate.id).group_by(BudgetLine.theme_id))
    by_theme = {theme_id: Decimal(amount or 0) for theme_id, amount in rows}
    result = [Share(mandate, t, by_theme.get(t.id, Decimal(0)), total) for t in themes()]
    return sorted(result, key=lambda s: s.amount, reverse=True)


def history(theme: Theme, up_to: Mandate | None = None) -> list[Share]:
    """The theme's share in each mandate with budget data, oldest first, up to ``up_to``."""
    totals = totals_by_mandate()
    rows = db.session.execute(db.select(BudgetLine.mandate_id, db.func.sum(BudgetLine.amount))
                              .where(BudgetLine.theme_id == theme.id).group_by(BudgetLine.mandate_id))
    amounts = {mandate_id: Decimal(amount or 0) for mandate_id, amount in rows}
    out = []
    for mandate in mandates():
        if up_to is not None and mandate.starts_on > up_to.starts_on:
            continue
        if totals.get(mandate.id):
            out.append(Share(mandate, theme, amounts.get(mandate.id, Decimal(0)), totals[mandate.id]))
    return out


def budget_lines(mandate: Mandate | None = None) -> list[BudgetLine]:
    stmt = db.select(BudgetLine).order_by(BudgetLine.year, BudgetLine.created_at)
    if mandate is not None:
        stmt = stmt.where(BudgetLine.mandate_id == mandate.id)
    return list(db.session.scalars(stmt))
