"""Rules of the atlas de mandature (003:440-485), as plain functions taking the acting user.

Budget data come from a CSV import (all or nothing) or manual entry; each theme's share of the
authority's total budget is computed per mandate. Posters gather the budget history, the commission's
members and adopted selections, the competences, one political comment per group and the staff
representatives' text. Services only flush: the request (or the worker task) commits.

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

import csv
import io
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from webapp.accounts.models import Commission, Mandate, PoliticalGroup, User
from webapp.atlas.models import (
    AtlasBuild,
    BudgetLine,
    FunctionalCode,
    PoliticalComment,
    Poster,
    StaffRepresentative,
    Theme,
)
from webapp.commissions import service as commissions
from webapp.core import audit
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set
from webapp.core.errors import Conflict, DomainError
from webapp.extensions import db

CSV_COLUMNS = ("mandat", "annee", "theme", "code_fonctionnel", "montant")
MAX_CSV_LINES = 20_000
MAX_TEXT = 4000


def _invalid(message: str, fields: dict | None = None) -> DomainError:
    return DomainError(message, fields=fields, status=422)


def _clean(text, limit: int = MAX_TEXT) -> str:
    """Trimmed text without NUL characters (PostgreSQL refuses them; they are never meaningful)."""
    return str(text or "").replace("\x00", "").strip()[:limit]


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


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which French spreadsheets still produce."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _reader(text: str):
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return csv.reader(io.StringIO(text), delimiter=delimiter)


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
    rows = list(_reader((text or "").replace("\x00", "")))
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


# --- posters ----------------------------------------------------------------------------------------

def get_poster(poster_id) -> Poster | None:
    try:
        return db.session.get(Poster, uuid.UUID(str(poster_id)))
    except ValueError:
        return None


def _guess_commission(theme: Theme, mandate: Mandate) -> Commission | None:
    for commission in db.session.scalars(db.select(Commission).where(Commission.mandate_id == mandate.id)):
        if commissions.slugify(commission.theme) == theme.slug or commissions.slugify(commission.name) == theme.slug:
            return commission
    return None


def ensure_posters(actor, mandate: Mandate) -> list[Poster]:
    """One draft poster per theme for the mandate, linked to the theme's commission when it is found."""
    existing = {p.theme_id: p for p in db.session.scalars(db.select(Poster).where(Poster.mandate_id == mandate.id))}
    for theme in themes():
        if theme.id not in existing:
            poster = Poster(theme=theme, mandate=mandate, commission=_guess_commission(theme, mandate),
                            status="draft")
            db.session.add(poster)
            db.session.flush()
            audit.record(actor, "atlas.poster_created", poster, None, {"theme": theme.slug,
                                                                       "mandate": mandate.label})
            existing[theme.id] = poster
    return posters(mandate)


def posters(mandate: Mandate, published_only: bool = False) -> list[Poster]:
    stmt = db.select(Poster).join(Poster.theme).where(Poster.mandate_id == mandate.id).order_by(
        Theme.position, Theme.name)
    if published_only:
        stmt = stmt.where(Poster.status == "published")
    return list(db.session.scalars(stmt))


def update_poster(actor, poster: Poster, competences: str | None = None, commission_id=None,
                  set_commission: bool = False) -> Poster:
    """The assemblies service edits the competences and obligations text and the linked commission."""
    before = {"competences": poster.competences, "commission_id": poster.commission_id}
    if competences is not None:
        poster.competences = _clean(competences)
    if set_commission:
        try:
            commission = db.session.get(Commission, uuid.UUID(str(commission_id))) if commission_id else None
        except ValueError:
            commission = None
        if commission_id and (commission is None or commission.mandate_id != poster.mandate_id):
            raise _invalid(_("Choisissez une commission du même mandat."), {"commission_id": [_("Invalide.")]})
        poster.commission = commission
    db.session.flush()
    audit.record(actor, "atlas.poster_updated", poster, before,
                 {"competences": poster.competences, "commission_id": poster.commission_id})
    return poster


def publish(actor, poster: Poster) -> Poster:
    """Publish on the public atlas; refused while the poster would be empty of its essentials. Once: a
    second publication (two people of the assemblies service at once) is told it is already public."""
    return compare_and_set(lambda: _publish(actor, poster))


def _publish(actor, poster: Poster) -> Poster:
    if poster.status == "published":
        raise Conflict(_("Cette affiche est déjà publiée sur l’atlas public."), subject=poster)
    missing = []
    if not poster.competences.strip():
        missing.append(_("les compétences et obligations"))
    if poster.commission is None:
        missing.append(_("la commission"))
    if missing:
        raise _invalid(_("Avant de publier, renseignez %(what)s.", what=_(" et ").join(missing)),
                       {"poster": [_("Incomplet.")]})
    before = {"status": poster.status}
    poster.status = "published"
    poster.published_at = utcnow()
    db.session.flush()
    audit.record(actor, "atlas.poster_published", poster, before, {"status": "published"})
    return poster


def unpublish(actor, poster: Poster) -> Poster:
    before = {"status": poster.status}
    poster.status = "draft"
    db.session.flush()
    audit.record(actor, "atlas.poster_unpublished", poster, before, {"status": "draft"})
    return poster


def political_comment(poster: Poster, group: PoliticalGroup) -> PoliticalComment | None:
    return next((c for c in poster.comments if c.group_id == group.id), None)


def save_political_comment(actor, poster: Poster, group: PoliticalGroup, body: str) -> PoliticalComment:
    """The group's one comment on the poster; any élu of the group may write or revise it."""
    text = _clean(body)
    if not text:
        raise _invalid(_("Le commentaire est vide."), {"body": [_("Obligatoire.")]})
    comment = political_comment(poster, group)
    before = {"body": comment.body} if comment else None
    if comment is None:
        comment = PoliticalComment(poster=poster, group=group, body=text)
        db.session.add(comment)
    comment.body, comment.author_id = text, actor.id
    db.session.flush()
    audit.record(actor, "atlas.political_comment_saved", comment, before, {"group": group.name, "body": text})
    return comment


def save_staff_text(actor, poster: Poster, body: str) -> Poster:
    before = {"staff_text": poster.staff_text}
    poster.staff_text = _clean(body)
    poster.staff_updated_at = utcnow()
    db.session.flush()
    audit.record(actor, "atlas.staff_text_saved", poster, before, {"staff_text": poster.staff_text})
    return poster


def staff_representatives() -> list[StaffRepresentative]:
    return list(db.session.scalars(db.select(StaffRepresentative).join(StaffRepresentative.user).order_by(User.name)))


def is_staff_representative(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and db.session.get(StaffRepresentative, user.id) is not None


def add_staff_representative(actor, user: User, organisation: str = "") -> StaffRepresentative:
    rep = db.session.get(StaffRepresentative, user.id)
    if rep is None:
        rep = StaffRepresentative(user_id=user.id, added_by_id=getattr(actor, "id", None))
        db.session.add(rep)
    rep.organisation = _clean(organisation, 120)
    db.session.flush()
    audit.record(actor, "atlas.staff_representative_added", user, None, {"organisation": rep.organisation})
    return rep


def remove_staff_representative(actor, user: User) -> None:
    rep = db.session.get(StaffRepresentative, user.id)
    if rep is not None:
        db.session.delete(rep)
        db.session.flush()
        audit.record(actor, "atlas.staff_representative_removed", user, {"organisation": rep.organisation}, None)


@dataclass
class PosterView:
    """Everything a poster shows, resolved once for the page, the PDF and open data."""

    poster: Poster
    history: list[Share]
    members: list[User]
    selection: commissions.SelectionView | None
    group_selections: list[commissions.SelectionView]
    comments: list[PoliticalComment]

    @property
    def theme(self) -> Theme:
        return self.poster.theme

    @property
    def current(self) -> Share | None:
        return next((s for s in self.history if s.mandate.id == self.poster.mandate_id), None)

    @property
    def max_share(self) -> float:
        return max((s.share for s in self.history), default=0.0) or 1.0


def poster_view(poster: Poster) -> PosterView:
    commission = poster.commission
    own, groups = commissions.selections_of(commission)
    return PosterView(poster=poster, history=history(poster.theme, poster.mandate),
                      members=list(commission.members) if commission else [], selection=own,
                      group_selections=groups,
                      comments=sorted(poster.comments, key=lambda c: c.group.name))


def public_mandate() -> Mandate | None:
    """The latest mandate with at least one published poster: the one the public atlas shows."""
    return db.session.scalar(db.select(Mandate).join(Poster, Poster.mandate_id == Mandate.id)
                             .where(Poster.status == "published").order_by(Mandate.starts_on.desc()).limit(1))


def published_poster(slug: str) -> Poster | None:
    mandate = public_mandate()
    if mandate is None:
        return None
    return db.session.scalar(db.select(Poster).join(Poster.theme).where(
        Poster.mandate_id == mandate.id, Poster.status == "published", Theme.slug == slug))


# --- PDF builds -------------------------------------------------------------------------------------

def request_build(actor, mandate: Mandate) -> AtlasBuild:
    """Queue a PDF build of the mandate's published posters (the caller commits, then enqueues)."""
    count = len(posters(mandate, published_only=True))
    if count == 0:
        raise _invalid(_("Aucune affiche publiée : rien à imprimer."))
    build = AtlasBuild(mandate=mandate, status="queued", total=count, requested_by_id=getattr(actor, "id", None))
    db.session.add(build)
    db.session.flush()
    audit.record(actor, "atlas.build_requested", build, None, {"mandate": mandate.label, "posters": count})
    return build


def supersede_older_builds(build: AtlasBuild) -> int:
    """Drop the PDFs of the mandate's earlier builds once a newer one is done: the public link always
    serves the latest, and each PDF weighs megabytes in the database. The rows stay, as history."""
    older = db.session.scalars(db.select(AtlasBuild).where(
        AtlasBuild.mandate_id == build.mandate_id, AtlasBuild.id != build.id, AtlasBuild.status == "done",
        AtlasBuild.created_at <= build.created_at)).all()
    for old in older:
        old.status, old.pdf = "superseded", None
    return len(older)


def get_build(build_id) -> AtlasBuild | None:
    try:
        return db.session.get(AtlasBuild, uuid.UUID(str(build_id)))
    except ValueError:
        return None


def latest_build(mandate: Mandate, done_only: bool = False) -> AtlasBuild | None:
    stmt = db.select(AtlasBuild).where(AtlasBuild.mandate_id == mandate.id)
    if done_only:
        stmt = stmt.where(AtlasBuild.status == "done")
    return db.session.scalar(stmt.order_by(AtlasBuild.created_at.desc()).limit(1))
