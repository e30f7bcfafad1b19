"""The rules the wishes are checked against, as data with their source (issue 14 items 3 and 4):

- the cumul rules and incompatibilities (``CumulRule``): the legal ones pre-filled, local ones added by
  the coordination, any set aside; each gives a self-explaining alert on the wished posts it concerns,
  never a refusal;
- the indemnity scale and the representation caps in force (``ScaleVersion``): recorded by the
  coordination or the assemblies service with their source and date, every change kept as history.

Until the coordination changes a rule, the defaults are shown without being stored; the first change
stores them, so that a set-aside legal rule stays visible with its source.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from webapp.core import audit
from webapp.core.errors import DomainError
from webapp.designation import simulation
from webapp.designation.models import CumulRule, ScaleVersion
from webapp.extensions import db
from webapp.organisation import policy as organisation_policy
from webapp.organisation.labels import ROLES

LOCAL = "Règle locale proposée par défaut (règlement intérieur), à adapter"
DEFAULTS = (
    {"kind": "declared", "role": "president", "interest_role": "maire|maire délégué|maire déléguée",
     "label": "Les fonctions de président du conseil départemental sont incompatibles avec celles de maire.",
     "source": "CGCT, art. L3122-3"},
    {"kind": "declared", "role": "president", "interest_role": "président|présidente",
     "interest_organisation": "conseil régional|région",
     "label": "Les fonctions de président du conseil départemental sont incompatibles avec celles de "
              "président d’un conseil régional.",
     "source": "CGCT, art. L3122-3"},
    {"kind": "exclusive", "role": "president", "other_role": "vice_president",
     "label": "Le président n’est pas aussi vice-président.", "source": LOCAL},
    {"kind": "max", "role": "commission_president", "limit": 1,
     "label": "Un élu ne préside qu’une commission.", "source": LOCAL},
)
# Representation caps by level when the coordination has set none: the more responsibilities, the fewer
# representations (003:563-612). A conseiller carries most outside seats, the président almost none.
DEFAULT_CAPS = {"conseiller": 4, "commission_president": 3, "vice_president": 2, "president": 1}
# The legal ceilings' rates (CGCT L3123-16, L3123-17): the envelope is computed at these.
LEGAL = simulation.SCALE_2024
PARLIAMENTARY_CAP = Decimal("1.5")  # CGCT L3123-18: all indemnities together, at most 1.5 × the base


def _require(actor, mandate) -> None:
    if not organisation_policy.can_draft(actor, mandate):
        raise DomainError(str(_l("Action réservée à la coordination et au service des assemblées.")), status=403)


# --- cumul rules ------------------------------------------------------------------------------------------

def rules(mandate) -> list[CumulRule]:
    """The mandate's rules: the stored ones, or the defaults (not stored) while none was changed."""
    stored = db.session.scalars(db.select(CumulRule).where(CumulRule.mandate_id == mandate.id)
                                .order_by(CumulRule.kind, CumulRule.label)).all()
    return list(stored) or [CumulRule(mandate_id=mandate.id, active=True, **_blank(d)) for d in DEFAULTS]


def _blank(data: dict) -> dict:
    fields = ("role", "other_role", "body_kind", "interest_role", "interest_organisation")
    return {**{f: "" for f in fields}, "limit": None, **data}


def _materialise(mandate) -> None:
    if db.session.scalar(db.select(CumulRule.id).where(CumulRule.mandate_id == mandate.id).limit(1)) is None:
        db.session.add_all(CumulRule(mandate_id=mandate.id, active=True, **_blank(d)) for d in DEFAULTS)
        db.session.flush()


def add_rule(actor, mandate, data: dict) -> CumulRule:
    _require(actor, mandate)
    if data["kind"] == "max" and not data.get("limit"):
        raise DomainError(str(_l("Indiquez le nombre de postes permis.")), {"limit": ["required"]}, status=422)
    if data["kind"] == "exclusive" and not data.get("other_role"):
        raise DomainError(str(_l("Indiquez l’autre poste.")), {"other_role": ["required"]}, status=422)
    if data["kind"] == "declared" and not data.get("interest_role"):
        raise DomainError(str(_l("Indiquez la fonction déclarée.")), {"interest_role": ["required"]}, status=422)
    _materialise(mandate)
    rule = CumulRule(mandate_id=mandate.id, active=True, **_blank({k: v for k, v in data.items() if v is not None}))
    db.session.add(rule)
    db.session.flush()
    audit.record(actor, "designation.rule_added", rule, None, {"label": rule.label, "source": rule.source})
    return rule


def set_active(actor, mandate, label: str, active: bool) -> CumulRule:
    """Set a rule aside (or back); rules are named by their label, unique enough and stable before the
    defaults are stored."""
    _require(actor, mandate)
    _materialise(mandate)
    rule = db.session.scalar(db.select(CumulRule).where(CumulRule.mandate_id == mandate.id,
                                                         CumulRule.label == label).limit(1))
    if rule is None:
        raise DomainError(str(_l("Règle inconnue.")), status=404)
    before = rule.active
    rule.active = active
    db.session.flush()
    audit.record(actor, "designation.rule_toggled", rule, {"active": before}, {"active": active})
    return rule


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("’", "'")
    return " ".join(text.lower().split())


def _declared_match(rule: CumulRule, interest) -> bool:
    roles = {_norm(r) for r in rule.interest_role.split("|") if r.strip()}
    places = [_norm(o) for o in rule.interest_organisation.split("|") if o.strip()]
    if _norm(interest.role) not in roles:
        return False
    return not places or any(place in _norm(interest.organisation) for place in places)


def cumul_alerts(posts: list, interests, active_rules: list[CumulRule]) -> dict:
    """For each wished post (by id), the alerts of the cumul rules it falls under."""
    found: dict = {post.id: [] for post in posts}

    def say(post, rule, detail: str = "") -> None:
        found[post.id].append({"kind": "cumul", "message": f"{rule.label}{detail} ({rule.source})"})

    for rule in (r for r in active_rules if r.active):
        concerned = [p for p in posts if p.role == rule.role and (not rule.body_kind or p.body.kind == rule.body_kind)]
        if rule.kind == "declared":
            held = [i for i in interests if _declared_match(rule, i)]
            for post in concerned if held else []:
                say(post, rule, str(_l(" Fonction déclarée : %(role)s, %(organisation)s.", role=held[0].role,
                                       organisation=held[0].organisation)))
        elif rule.kind == "exclusive":
            others = [p for p in posts if p.role == rule.other_role]
            for post in (concerned + others) if concerned and others else []:
                say(post, rule)
        elif rule.kind == "max" and rule.limit is not None and len(concerned) > rule.limit:
            for post in concerned:
                say(post, rule, ngettext(" %(num)d poste de ce type souhaité pour %(max)s permis.",
                                         " %(num)d postes de ce type souhaités pour %(max)s permis.",
                                         len(concerned), max=rule.limit))
    return found


def describe(rule: CumulRule) -> str:
    """What a rule concerns, in words, for the rules page."""
    role = str(ROLES.get(rule.role, rule.role))
    if rule.kind == "declared":
        variants = ", ".join(v.strip() for v in (rule.interest_role or "").split("|") if v.strip())
        return str(_l("%(role)s · fonction déclarée : %(declared)s", role=role,
                      declared=" / ".join(filter(None, [variants, rule.interest_organisation]))))
    if rule.kind == "exclusive":
        return f"{role} ≠ {ROLES.get(rule.other_role, rule.other_role)}"
    return str(_l("%(role)s : %(n)s au plus", role=role, n=rule.limit))


# --- scale and caps in force ------------------------------------------------------------------------------

def versions(mandate) -> list[ScaleVersion]:
    """Newest first: the first is in force, the others are its history."""
    return db.session.scalars(db.select(ScaleVersion).where(ScaleVersion.mandate_id == mandate.id)
                              .order_by(ScaleVersion.recorded_at.desc())).all()


def in_force(mandate) -> ScaleVersion | None:
    found = versions(mandate)
    return found[0] if found else None


def scale(mandate) -> simulation.Scale:
    row = in_force(mandate) if mandate is not None else None
    if row is None:
        return simulation.SCALE_2024
    return replace(simulation.SCALE_2024, reference=row.reference, source=row.source,
                   in_force_since=row.in_force_since, conseiller_rate=row.conseiller_rate,
                   permanent_commission_bonus=row.permanent_commission_bonus,
                   vice_president_bonus=row.vice_president_bonus, president_rate=row.president_rate)


def legal_scale(mandate) -> simulation.Scale:
    """The law's maximum rates on the reference in force (the envelope's measure)."""
    return replace(LEGAL, reference=scale(mandate).reference)


def caps(mandate) -> dict[str, int]:
    row = in_force(mandate) if mandate is not None else None
    return {**DEFAULT_CAPS, **(row.caps if row is not None else {})}


def parliamentary_base(mandate) -> Decimal | None:
    row = in_force(mandate) if mandate is not None else None
    return row.parliamentary_base if row is not None else None


def record_scale(actor, mandate, data: dict) -> ScaleVersion:
    """A new version of the scale and caps, from the one in force and the fields given."""
    _require(actor, mandate)
    current, base = scale(mandate), in_force(mandate)
    row = ScaleVersion(
        mandate_id=mandate.id, recorded_by_id=getattr(actor, "id", None),
        reference=data.get("reference") or current.reference, source=data.get("source") or current.source,
        in_force_since=data.get("in_force_since") or current.in_force_since,
        conseiller_rate=_rate(data, "conseiller_rate", current.conseiller_rate),
        permanent_commission_bonus=_rate(data, "permanent_commission_bonus", current.permanent_commission_bonus),
        vice_president_bonus=_rate(data, "vice_president_bonus", current.vice_president_bonus),
        president_rate=_rate(data, "president_rate", current.president_rate),
        parliamentary_base=data.get("parliamentary_base", base.parliamentary_base if base else None),
        caps={level: int(data.get(f"cap_{level}", limit)) for level, limit in caps(mandate).items()})
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "designation.scale_recorded", row, None,
                 {"reference": str(row.reference), "source": row.source, "caps": row.caps,
                  "parliamentary_base": str(row.parliamentary_base) if row.parliamentary_base else None})
    return row


def _rate(data: dict, key: str, current: Decimal) -> Decimal:
    """Forms give percentages (60 for 60 %); stored as shares."""
    value = data.get(key)
    return current if value is None else Decimal(str(value)) / 100
