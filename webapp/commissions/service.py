"""Rules and transitions of the bilan de commission (003:363-439), as plain functions taking the acting user.

Views and the API check the policy first; these functions enforce the domain rules (required fields,
the commission's scale, 3 + 3 selections, the lock after adoption), write the audit events and only
flush: the request commits.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.models import Commission, Mandate, OrgUnit, PoliticalGroup, User
from webapp.accounts.roles import current_mandate
from webapp.commissions import policy
from webapp.commissions.models import (
    COMMENT_KINDS,
    SELECTION_SIZE,
    ActivityReport,
    Apercu,
    ApercuAttachment,
    ApercuComment,
    ApercuTemplate,
    BilanRanking,
    BilanSelection,
    BilanSession,
)
from webapp.core import audit
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set
from webapp.core.errors import Conflict, DomainError
from webapp.extensions import db

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
MAX_REPORT_BYTES = 10 * 1024 * 1024


def _invalid(message: str, fields: dict | None = None) -> DomainError:
    return DomainError(message, fields=fields, status=422)


def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "champ"


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


def _text(value, limit: int = MAX_TEXT) -> str:
    # NUL characters would be refused by PostgreSQL (a 500): they are never meaningful in a text.
    return str(value or "").replace("\x00", "").strip()[:limit]


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


def unit_apercus(unit: OrgUnit | None) -> list[Apercu]:
    if unit is None:
        return []
    units = [unit.id, *[c.id for c in unit.children]]
    return list(db.session.scalars(db.select(Apercu).where(Apercu.unit_id.in_(units)).order_by(
        Apercu.status, Apercu.updated_at.desc())))


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


# --- the two spaces ---------------------------------------------------------------------------------

def _link(url: str | None) -> str | None:
    url = _text(url, 300)
    if not url:
        return None
    # Only paths inside Tandem (a note, a mini-bilan): an outside link would be a phishing vector.
    if not url.startswith("/") or url.startswith("//"):
        raise _invalid(_("Le lien doit pointer vers une page de Tandem (commençant par /)."),
                       {"link_url": [_("Lien invalide.")]})
    return url


def add_comment(actor: User, apercu: Apercu, space: str, kind: str, body: str, link_url: str | None = None,
                link_title: str | None = None) -> ApercuComment:
    if kind not in COMMENT_KINDS.get(space, ()):
        raise _invalid(_("Type de contribution invalide pour cet espace."), {"kind": [_("Invalide.")]})
    if not _text(body):
        raise _invalid(_("Le texte est obligatoire."), {"body": [_("Obligatoire.")]})
    comment = ApercuComment(apercu=apercu, author=actor, space=space, kind=kind, body=_text(body),
                            link_url=_link(link_url), link_title=_text(link_title, 200) or None)
    db.session.add(comment)
    db.session.flush()
    audit.record(actor, "apercu_comment.created", comment, None, {"space": space, "kind": kind,
                                                                   "apercu_id": apercu.id})
    return comment


def update_comment(actor: User, comment: ApercuComment, body: str, kind: str | None = None) -> ApercuComment:
    if not _text(body):
        raise _invalid(_("Le texte est obligatoire."), {"body": [_("Obligatoire.")]})
    if kind is not None and kind not in COMMENT_KINDS[comment.space]:
        raise _invalid(_("Type de contribution invalide pour cet espace."), {"kind": [_("Invalide.")]})
    before = {"body": comment.body, "kind": comment.kind}
    comment.body = _text(body)
    comment.kind = kind or comment.kind
    db.session.flush()
    audit.record(actor, "apercu_comment.updated", comment, before, {"body": comment.body, "kind": comment.kind})
    return comment


def space_comments(apercu: Apercu, space: str) -> list[ApercuComment]:
    return [c for c in apercu.comments if c.space == space]


# --- bilan sessions ---------------------------------------------------------------------------------

def session_of(commission: Commission) -> BilanSession | None:
    return db.session.scalar(db.select(BilanSession).where(BilanSession.commission_id == commission.id))


def _open_session(commission: Commission) -> BilanSession:
    """The session, created on the first write; refused once adopted (nothing may change after the vote)."""
    session = session_of(commission)
    if session is None:
        session = BilanSession(commission=commission, scale=[], status="open")
        db.session.add(session)
        db.session.flush()
    if session.adopted:
        raise Conflict(_("%(name)s a adopté le bilan de cette commission : il ne peut plus être modifié.",
                         name=session.adopted_by.name if session.adopted_by else ""), subject=session)
    # Every write goes through the session's version: a change racing the adoption loses to it (or wins
    # before it), never slips in after the lock.
    session.updated_at = utcnow()
    return session


def set_scale(actor: User, commission: Commission, levels: list[str]) -> BilanSession:
    """The commission's own ranking scale, best level first; rankings beyond a shortened scale are dropped."""
    session = _open_session(commission)
    clean = [_text(level, 60) for level in levels if _text(level, 60)]
    if not 2 <= len(clean) <= MAX_SCALE or len(set(clean)) != len(clean):
        raise _invalid(_("L’échelle compte de 2 à %(n)d niveaux distincts.", n=MAX_SCALE),
                       {"scale": [_("De 2 à %(n)d niveaux distincts.", n=MAX_SCALE)]})
    before = {"scale": session.scale}
    session.scale = clean
    for ranking in list(session.rankings):
        if ranking.level >= len(clean):
            session.rankings.remove(ranking)
    db.session.flush()
    audit.record(actor, "bilan.scale_set", session, before, {"scale": clean})
    return session


def rank(actor: User, commission: Commission, levels: dict) -> BilanSession:
    """Place projects on the scale: ``{apercu_id: level index}``; an empty value unranks the project."""
    session = _open_session(commission)
    if not session.scale:
        raise _invalid(_("Définissez d’abord l’échelle de classement."), {"scale": [_("Obligatoire.")]})
    projects = {str(a.id): a for a in commission_apercus(commission)}
    current = {str(r.apercu_id): r for r in session.rankings}
    errors = {}
    for key, level in levels.items():
        if str(key) not in projects:
            errors[str(key)] = [_("Ce projet n’est pas soumis à la commission.")]
        elif level not in (None, "") and not (str(level).isdigit() and int(level) < len(session.scale)):
            errors[str(key)] = [_("Niveau inconnu.")]
    if errors:
        raise _invalid(_("Classement invalide."), errors)
    for key, level in levels.items():
        existing = current.get(str(key))
        if level in (None, ""):
            if existing is not None:
                session.rankings.remove(existing)
        elif existing is not None:
            existing.level = int(level)
        else:
            session.rankings.append(BilanRanking(apercu=projects[str(key)], level=int(level)))
    db.session.flush()
    audit.record(actor, "bilan.ranked", session, None, {str(k): v for k, v in levels.items()})
    return session


def _scope(group: PoliticalGroup | None) -> str:
    return str(group.id) if group is not None else "commission"


def selection(session: BilanSession | None, group: PoliticalGroup | None = None) -> BilanSelection | None:
    if session is None:
        return None
    return next((s for s in session.selections if s.scope == _scope(group)), None)


def save_selection(actor: User, commission: Commission, proud: list, challenges: list[str],
                   group: PoliticalGroup | None = None) -> BilanSelection:
    """The 3 projects the commission (or one group) is proudest of and its 3 challenges for the future."""
    session = _open_session(commission)
    projects = {str(a.id) for a in commission_apercus(commission)}
    chosen = list(dict.fromkeys(str(p) for p in proud if str(p or "").strip()))
    texts = [_text(c, 300) for c in challenges if _text(c, 300)]
    errors = {}
    if any(p not in projects for p in chosen):
        errors["proud"] = [_("Choisissez parmi les projets soumis à la commission.")]
    elif len(chosen) != min(SELECTION_SIZE, len(projects)):
        errors["proud"] = [_("Choisissez exactement %(n)d projets.", n=min(SELECTION_SIZE, len(projects)))]
    if len(texts) != SELECTION_SIZE:
        errors["challenges"] = [_("Indiquez exactement %(n)d défis.", n=SELECTION_SIZE)]
    if errors:
        raise _invalid(_("Sélection incomplète : 3 projets et 3 défis."), errors)
    current = selection(session, group)
    before = {"proud": current.proud, "challenges": current.challenges} if current else None
    if current is None:
        current = BilanSelection(session=session, scope=_scope(group), group=group)
        db.session.add(current)
    current.proud, current.challenges, current.author = chosen, texts, actor
    db.session.flush()
    audit.record(actor, "bilan.selection_saved", current, before,
                 {"scope": current.scope, "proud": chosen, "challenges": texts})
    return current


def adopt(actor: User, commission: Commission) -> BilanSession:
    """Lock the bilan: every project ranked and the commission's own 3 + 3 selection recorded. Once:
    a second adoption (another device, another member) is told who adopted it."""
    return compare_and_set(lambda: _adopt(actor, commission))


def _adopt(actor: User, commission: Commission) -> BilanSession:
    session = _open_session(commission)
    unranked = {str(a.id) for a in commission_apercus(commission)} - {str(r.apercu_id) for r in session.rankings}
    if not session.scale or unranked:
        raise _invalid(_("Classez tous les projets avant d’adopter le bilan."), {"rankings": [_("Incomplet.")]})
    if selection(session) is None:
        raise _invalid(_("Enregistrez la sélection de la commission avant d’adopter le bilan."),
                       {"selection": [_("Obligatoire.")]})
    session.status = "adopted"
    session.adopted_at = utcnow()
    session.adopted_by = actor
    db.session.flush()  # the compare-and-set: one adoption per version
    audit.record(actor, "bilan.adopted", session, {"status": "open"}, {"status": "adopted"})
    return session


@dataclass
class SelectionView:
    """A selection with its projects resolved, for pages, posters and open data."""

    label: str
    proud: list[Apercu]
    challenges: list[str]
    group: PoliticalGroup | None = None


def resolve(sel: BilanSelection, label: str) -> SelectionView:
    projects = [get_apercu(p) for p in sel.proud]
    return SelectionView(label=label, proud=[p for p in projects if p is not None], challenges=list(sel.challenges),
                         group=sel.group)


def selections_of(commission: Commission | None, adopted_only: bool = True) -> tuple[SelectionView | None,
                                                                                     list[SelectionView]]:
    """The commission's selection and the groups' own ones (adopted sessions only, for the atlas)."""
    session = session_of(commission) if commission is not None else None
    if session is None or (adopted_only and not session.adopted):
        return None, []
    own = selection(session)
    groups = sorted((s for s in session.selections if s.group is not None), key=lambda s: s.group.name)
    return (resolve(own, commission.name) if own else None,
            [resolve(s, s.group.name) for s in groups])


def ranking_table(session: BilanSession | None, commission: Commission) -> list[tuple[Apercu, int | None]]:
    levels = {r.apercu_id: r.level for r in (session.rankings if session else [])}
    rows = [(a, levels.get(a.id)) for a in commission_apercus(commission)]
    return sorted(rows, key=lambda r: (r[1] is None, r[1] if r[1] is not None else 0, r[0].title))


# --- activity reports -------------------------------------------------------------------------------

def human_size(size: int) -> str:
    """A size as people read it: "10 Mo", "12,5 Mo", "300 Ko"."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}".replace(".0", "").replace(".", ",") + "\u00a0Mo"
    return f"{max(1, round(size / 1024))}\u00a0Ko"


def upload_report(actor: User, unit: OrgUnit, mandate: Mandate | None, title: str, filename: str,
                  data: bytes) -> ActivityReport:
    """Store a service's activity report (PDF, 10 Mo at most)."""
    if mandate is None:
        raise _invalid(_("Aucun mandat n’est défini."))
    if len(data) > MAX_REPORT_BYTES:
        raise DomainError(_("Le fichier pèse %(size)s : la limite est de %(max)s. Réduisez-le (export PDF "
                            "« taille réduite ») et réessayez.", size=human_size(len(data)),
                            max=human_size(MAX_REPORT_BYTES)),
                          fields={"file": [_("Fichier trop volumineux.")]}, status=413)
    if not data.startswith(b"%PDF-"):
        raise _invalid(_("Le rapport d’activité doit être un fichier PDF."), {"file": [_("PDF attendu.")]})
    clean_title = _text(title, 200) or _text(filename, 200) or _("Rapport d’activité")
    report = ActivityReport(unit=unit, mandate=mandate, title=clean_title,
                            filename=_text(filename, 200) or "rapport.pdf", size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), content=data, uploaded_by=actor)
    db.session.add(report)
    db.session.flush()
    audit.record(actor, "activity_report.uploaded", report, None, {"unit_id": unit.id, "size": len(data)})
    return report


def attach_to_apercu(actor: User, apercu: Apercu, title: str, filename: str, data: bytes) -> ApercuAttachment:
    """Join a PDF (10 Mo at most) to an aperçu's dossier, e.g. the mini-bilan of an excursion."""
    if len(data) > MAX_REPORT_BYTES:
        raise DomainError(_("Le fichier pèse %(size)s : la limite est de %(max)s.", size=human_size(len(data)),
                            max=human_size(MAX_REPORT_BYTES)), fields={"file": [_("Fichier trop volumineux.")]},
                          status=413)
    if not data.startswith(b"%PDF-"):
        raise _invalid(_("Seuls les fichiers PDF peuvent être joints au dossier."), {"file": [_("PDF attendu.")]})
    attachment = ApercuAttachment(apercu=apercu, title=_text(title, 200) or _("Pièce jointe"),
                                  filename=_text(filename, 200) or "piece-jointe.pdf", size=len(data),
                                  sha256=hashlib.sha256(data).hexdigest(), content=data, added_by=actor)
    db.session.add(attachment)
    db.session.flush()
    audit.record(actor, "apercu.attachment_added", apercu, None,
                 {"attachment": attachment.id, "title": attachment.title, "size": len(data)})
    return attachment


def attachable_apercus(user: User) -> list[Apercu]:
    """The aperçus a person may join a document to: their service's, and their commissions' once submitted."""
    units = db.select(OrgUnit.id).where(db.or_(OrgUnit.id == user.unit_id, OrgUnit.parent_id == user.unit_id))
    in_my_commissions = Apercu.commission.has(Commission.members.any(User.id == user.id))
    mine = db.or_(Apercu.unit_id.in_(units), Apercu.author_id == user.id,
                  db.and_(Apercu.status == "submitted", in_my_commissions))
    candidates = db.session.scalars(db.select(Apercu).where(mine).order_by(Apercu.title).limit(100))
    return [a for a in candidates if policy.can_attach_to_apercu(user, a)]


def reports(unit: OrgUnit | None = None) -> list[ActivityReport]:
    stmt = db.select(ActivityReport).order_by(ActivityReport.uploaded_at.desc())
    if unit is not None:
        stmt = stmt.where(ActivityReport.unit_id == unit.id)
    return list(db.session.scalars(stmt))
