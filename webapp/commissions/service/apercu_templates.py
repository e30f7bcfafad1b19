"""The aperçu templates: the base one, a service's own (guidance, labels, extra fields)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from webapp.accounts.models import OrgUnit
from webapp.commissions.models import (
    ApercuTemplate,
)
from webapp.commissions.service.common import DEFAULT_LABELS, MAX_EXTRA_FIELDS, MAX_TEXT, _invalid, _text, slugify
from webapp.core import audit
from webapp.extensions import db

# --- templates --------------------------------------------------------------------------------------

@dataclass
class EffectiveTemplate:
    """What the aperçu form of one service shows: labels, extra fields, guidance (the assemblies' first)."""

    labels: dict
    extra_fields: list
    guidance: list[str] = field(default_factory=list)
    source: ApercuTemplate | None = None

    def label(self, name: str) -> str:
        return self.labels.get(name) or str(DEFAULT_LABELS[name])


def base_template() -> ApercuTemplate | None:
    return db.session.scalar(db.select(ApercuTemplate).where(ApercuTemplate.unit_id.is_(None)))


def own_template(unit: OrgUnit | None) -> ApercuTemplate | None:
    if unit is None:
        return None
    return db.session.scalar(db.select(ApercuTemplate).where(ApercuTemplate.unit_id == unit.id))


def template_for(unit: OrgUnit | None) -> EffectiveTemplate:
    """A service's own template, else its direction's, on top of the assemblies' base model."""
    base = base_template()
    own = own_template(unit) or (own_template(unit.parent) if unit is not None else None)
    labels = {**(base.labels if base else {}), **(own.labels if own else {})}
    extra = list(base.extra_fields if base else [])
    keys = {f["key"] for f in extra}
    extra += [f for f in (own.extra_fields if own else []) if f["key"] not in keys]
    guidance = [t.guidance for t in (base, own) if t is not None and t.guidance.strip()]
    return EffectiveTemplate(labels=labels, extra_fields=extra, guidance=guidance, source=own)


def parse_extra_fields(text: str) -> list[dict]:
    """One extra field per line, ``Libellé | aide à la saisie`` (the help is optional)."""
    fields_: list[dict] = []
    seen: set[str] = set()
    for line in _text(text, 20 * MAX_TEXT).splitlines():
        label, _sep, help_ = (part.strip() for part in line.partition("|"))
        if not label:
            continue
        key = slugify(label)
        if key in seen:
            continue
        seen.add(key)
        fields_.append({"key": key, "label": label[:120], "help": help_[:300]})
    if len(fields_) > MAX_EXTRA_FIELDS:
        raise _invalid(_("Au plus %(n)d champs supplémentaires.", n=MAX_EXTRA_FIELDS),
                       {"extra_fields": [_("Trop de champs.")]})
    return fields_


def save_template(actor, unit: OrgUnit | None, *, guidance: str = "", labels: dict | None = None,
                  extra_fields: list[dict] | None = None) -> ApercuTemplate:
    """Create or replace the base model (``unit`` None) or a unit's own template."""
    template = own_template(unit) if unit is not None else base_template()
    before = _template_snapshot(template) if template else None
    if template is None:
        template = ApercuTemplate(unit_id=unit.id if unit else None)
        db.session.add(template)
    template.guidance = _text(guidance)
    template.labels = {k: _text(v, 120) for k, v in (labels or {}).items() if k in DEFAULT_LABELS and _text(v)}
    template.extra_fields = [{"key": slugify(f.get("key") or f["label"]), "label": _text(f["label"], 120),
                              "help": _text(f.get("help"), 300)} for f in (extra_fields or [])][:MAX_EXTRA_FIELDS]
    db.session.flush()
    audit.record(actor, "apercu_template.saved", template, before, _template_snapshot(template))
    return template


def _template_snapshot(t: ApercuTemplate) -> dict:
    return {"unit_id": t.unit_id, "guidance": t.guidance, "labels": list(t.labels), "extra": [
        f["key"] for f in t.extra_fields]}
