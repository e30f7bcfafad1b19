"""Writing, submitting and listing the aperçus politiques."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _

from webapp.accounts.models import OrgUnit, User
from webapp.accounts.roles import current_mandate
from webapp.commissions.models import (
    Apercu,
    ApercuComment,
)
from webapp.commissions.service.apercu_templates import template_for
from webapp.commissions.service.common import (
    DEFAULT_LABELS,
    MAX_ROWS,
    REQUIRED_TO_SUBMIT,
    TEXT_FIELDS,
    _invalid,
    _text,
    slugify,
)
from webapp.core import audit
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set
from webapp.core.errors import Conflict
from webapp.extensions import db
from webapp.organisation.models import Commission

# --- aperçus ----------------------------------------------------------------------------------------

def get_apercu(apercu_id) -> Apercu | None:
    try:
        return db.session.get(Apercu, uuid.UUID(str(apercu_id)))
    except ValueError:
        return None


def current_commissions() -> list[Commission]:
    mandate = current_mandate()
    if mandate is None:
        return []
    found = db.session.scalars(db.select(Commission).where(Commission.mandate_id == mandate.id))
    return sorted(found, key=lambda c: slugify(c.name))  # "Éducation" among the E, not after the Z


def _commission(commission_id) -> Commission | None:
    if commission_id in (None, ""):
        return None
    try:
        commission = db.session.get(Commission, uuid.UUID(str(commission_id)))
    except ValueError:
        commission = None
    if commission is None:
        raise _invalid(_("Commission inconnue."), {"commission_id": [_("Commission inconnue.")]})
    return commission


def _rows(rows, keys: tuple[str, ...], first: str) -> list[dict]:
    """Keep the rows whose first column is filled; trim every value."""
    out = []
    for row in rows or []:
        if not isinstance(row, dict):
            continue
        clean = {k: _text(row.get(k), 300) for k in keys}
        if clean[first]:
            out.append(clean)
    return out[:MAX_ROWS]


def _extra_values(unit: OrgUnit, values: dict | None, previous: list | None = None) -> list[dict]:
    """The template's extra fields with what was typed; answers to fields since removed are kept."""
    values = values or {}
    template = template_for(unit)
    kept = {e["key"]: e for e in (previous or [])}
    out = []
    for f in template.extra_fields:
        value = _text(values.get(f["key"], kept.get(f["key"], {}).get("value", "")))
        out.append({"key": f["key"], "label": f["label"], "value": value})
        kept.pop(f["key"], None)
    out += [e for e in kept.values() if e.get("value")]
    return out


def _apply(apercu: Apercu, data: dict) -> None:
    if "title" in data:
        apercu.title = _text(data["title"], 200)
    for name in TEXT_FIELDS:
        if name in data:
            setattr(apercu, name, _text(data[name]))
    if "people" in data:
        apercu.people = _rows(data["people"], ("name", "role", "contact"), "name")
    if "chronology" in data:
        apercu.chronology = _rows(data["chronology"], ("when", "what"), "what")
    if "key_figures" in data:
        apercu.key_figures = _rows(data["key_figures"], ("label", "value", "unit", "date"), "label")
    if "commission_id" in data:
        commission = _commission(data["commission_id"])
        apercu.commission_id = commission.id if commission else None
    if "extra" in data:
        apercu.extra = _extra_values(apercu.unit, data["extra"], apercu.extra)


def _snapshot(a: Apercu) -> dict:
    return {"title": a.title, "status": a.status, "commission_id": a.commission_id}


def create_apercu(actor: User, data: dict) -> Apercu:
    """A new draft in the author's service."""
    if not _text(data.get("title")):
        raise _invalid(_("Le nom est obligatoire."), {"title": [_("Obligatoire.")]})
    apercu = Apercu(title="", unit=actor.unit, author=actor, status="draft")
    if data.get("id"):
        apercu.id = data["id"]
    db.session.add(apercu)
    _apply(apercu, {"extra": {}, **data})
    db.session.flush()
    audit.record(actor, "apercu.created", apercu, None, _snapshot(apercu))
    return apercu


def update_apercu(actor: User, apercu: Apercu, data: dict) -> Apercu:
    before = _snapshot(apercu)
    if "title" in data and not _text(data["title"]):
        raise _invalid(_("Le nom est obligatoire."), {"title": [_("Obligatoire.")]})
    _apply(apercu, data)
    if apercu.status == "submitted":
        _check_complete(apercu)
    db.session.flush()
    audit.record(actor, "apercu.updated", apercu, before, _snapshot(apercu))
    return apercu


def _check_complete(apercu: Apercu) -> None:
    labels = template_for(apercu.unit)
    missing = {name: [_("Obligatoire.")] for name in REQUIRED_TO_SUBMIT if not getattr(apercu, name)}
    if apercu.commission_id is None:
        missing["commission_id"] = [_("Choisissez la commission thématique.")]
    incomplete = [f["label"] for f in apercu.key_figures if not (f["value"] and f["unit"] and f["date"])]
    if incomplete:
        missing["key_figures"] = [_("Chaque chiffre clé a une valeur, une unité et une date : %(l)s.",
                                    l=", ".join(incomplete))]
    if missing:
        names = ", ".join(labels.label(n) if n in DEFAULT_LABELS else _("Commission") for n in missing)
        raise _invalid(_("Pour soumettre l’aperçu, complétez : %(names)s.", names=names), missing)


def submit_apercu(actor: User, apercu: Apercu) -> Apercu:
    """Draft → submitted to its thematic commission, whose members are then invited to comment."""
    return compare_and_set(lambda: _submit_apercu(actor, apercu))


def _submit_apercu(actor: User, apercu: Apercu) -> Apercu:
    if apercu.status != "draft":
        raise Conflict(_("Cet aperçu est déjà soumis à la commission."), subject=apercu)
    _check_complete(apercu)
    apercu.status = "submitted"
    apercu.submitted_at = utcnow()
    db.session.flush()
    audit.record(actor, "apercu.submitted", apercu, {"status": "draft"}, _snapshot(apercu))
    return apercu


def unit_apercus(unit: OrgUnit | None, status: str | None = None, limit: int | None = None) -> list[Apercu]:
    """The aperçus of a unit and of the units under it (one statement), of one ``status`` if given."""
    if unit is None:
        return []
    units = db.select(OrgUnit.id).where(db.or_(OrgUnit.id == unit.id, OrgUnit.parent_id == unit.id))
    stmt = db.select(Apercu).where(Apercu.unit_id.in_(units)).order_by(Apercu.status, Apercu.updated_at.desc())
    if status is not None:
        stmt = stmt.where(Apercu.status == status)
    return list(db.session.scalars(stmt.limit(limit)))


def commission_apercus(commission: Commission) -> list[Apercu]:
    """The projects submitted to a commission: what its members comment and its bilan session ranks."""
    return list(db.session.scalars(db.select(Apercu).where(
        Apercu.commission_id == commission.id, Apercu.status == "submitted").order_by(Apercu.title)))


def apercus_to_comment(user: User) -> list[Apercu]:
    """Submitted aperçus of the person's commissions on which they have not written yet."""
    commission_ids = [c.id for c in db.session.scalars(
        db.select(Commission).where(Commission.members.any(User.id == user.id)))]
    if not commission_ids:
        return []
    written = db.select(ApercuComment.apercu_id).where(ApercuComment.author_id == user.id)
    return list(db.session.scalars(db.select(Apercu).where(
        Apercu.commission_id.in_(commission_ids), Apercu.status == "submitted",
        Apercu.id.not_in(written)).order_by(Apercu.submitted_at.desc()).limit(10)))
