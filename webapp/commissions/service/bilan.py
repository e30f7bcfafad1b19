"""The commission's bilan session: its scale, the ranking, the 3 + 3 selections per group, the adoption."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from webapp.accounts.models import User
from webapp.commissions.models import (
    SELECTION_SIZE,
    Apercu,
    BilanRanking,
    BilanSelection,
    BilanSession,
)
from webapp.commissions.service.apercus import commission_apercus, get_apercu
from webapp.commissions.service.common import MAX_SCALE, _invalid, _text
from webapp.core import audit
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set
from webapp.core.errors import Conflict
from webapp.extensions import db
from webapp.organisation.models import Commission, PoliticalGroup

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
