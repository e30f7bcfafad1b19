"""What changed between two versions of an anti-manuel, field by field, in words."""

from __future__ import annotations

from flask_babel import gettext as _

from webapp.accounts.models import User
from webapp.cooperation import wording
from webapp.cooperation.models import Charter, CharterVersion, Rule
from webapp.cooperation.service import RULE_FIELDS, rule_values, type_label
from webapp.extensions import db

_TABLES = {"modality": wording.MODALITY_LABELS, "deciders": wording.DECIDER_LABELS,
           "channel": wording.CHANNEL_LABELS, "presence": wording.PRESENCE_LABELS}


def shown(field: str, value) -> str:
    """One value of a rule as a person reads it."""
    if value is None or value == "":
        return "—"
    if field in _TABLES:
        return wording.label(_TABLES[field], value)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if field in ("quiet_start", "quiet_end"):
        return _("%(h)d h", h=value)
    if field == "delegatee_id":
        person = db.session.get(User, value)
        return person.name if person else "?"
    return str(value)


def one_line(rule: Rule) -> str:
    """A rule in one line: the modality, the deadline, who decides, the notifications, the presence."""
    parts = [wording.label(wording.MODALITY_LABELS, rule.modality)
             + (f" ({rule.delegatee.name})" if rule.modality == "standing_delegation" and rule.delegatee else ""),
             _("%(d)d j", d=rule.deadline_days) + ("" if rule.shortenable else " " + _("(non raccourcissable)")),
             _("décide : %(who)s", who=wording.label(wording.DECIDER_LABELS, rule.deciders).lower()),
             wording.label(wording.CHANNEL_LABELS, rule.channel)]
    if rule.urgent:
        parts.append(_("urgent, même en heures calmes"))
    elif rule.quiet_start is not None:
        parts.append(_("calme de %(a)d h à %(b)d h", a=rule.quiet_start, b=rule.quiet_end))
    if rule.presence != "none":
        parts.append(_("présence : %(p)s", p=wording.label(wording.PRESENCE_LABELS, rule.presence).lower()))
    return " · ".join(parts)


def diff(before: CharterVersion | None, after: CharterVersion) -> list[dict]:
    """[{type, change: added|removed|changed, fields: [{field, label, before, after}]}], in catalogue order."""
    old = {r.situation_type_id: r for r in (before.rules if before else [])}
    new = {r.situation_type_id: r for r in after.rules}
    changes = []
    for type_id in sorted(old.keys() | new.keys(), key=lambda t: (new.get(t) or old.get(t)).position):
        a, b = old.get(type_id), new.get(type_id)
        kind = (b or a).situation_type
        if a is None or b is None:
            rule = b or a
            changes.append({"type": type_label(kind), "change": "added" if a is None else "removed",
                            "by": rule.edited_by, "fields": [], "line": one_line(rule)})
            continue
        va, vb = rule_values(a), rule_values(b)
        fields = [{"field": f, "label": wording.label(wording.FIELD_LABELS, f), "before": shown(f, va[f]),
                   "after": shown(f, vb[f])} for f in RULE_FIELDS if va[f] != vb[f]]
        if fields:
            changes.append({"type": type_label(kind), "change": "changed", "by": b.edited_by, "fields": fields,
                            "line": one_line(b)})
    return changes


def history(charter: Charter) -> list[dict]:
    """Every version, newest first, each with its diff from the one before it, its author and agreements."""
    versions = sorted(charter.versions, key=lambda v: v.number)
    rows = []
    for index, version in enumerate(versions):
        previous = versions[index - 1] if index else None
        rows.append({"version": version, "diff": diff(previous, version), "previous": previous})
    return list(reversed(rows))
