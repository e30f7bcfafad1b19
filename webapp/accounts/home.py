"""What the accounts domain asks of people on their home page."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from webapp.accounts.models import User
from webapp.accounts.roles import current_term, roles_of
from webapp.core.home import TodoItem, TodoSection
from webapp.extensions import db
from webapp.organisation.models import Elu

FUNCTION_TEXTS = {
    "president": lambda f: _("Président·e de l’assemblée"),
    "vice_president": lambda f: _("Vice-président·e") + (f" : {f.delegation}" if f.delegation else ""),
    "conseiller_delegue": lambda f: _("Conseiller·e délégué·e") + (f" : {f.delegation}" if f.delegation else ""),
    "commission_president": lambda f: _("Président·e de la commission %(name)s",
                                        name=f.commission.name if f.commission else ""),
}


def who(user) -> list[str]:
    """Who the person is here, in the words of the authority (never an internal role code)."""
    roles = roles_of(user)
    lines = []
    term = current_term(user) if "elu" in roles else None  # an agent's home asks nothing of the mandates
    if term is not None:
        # The function first: a président·e reads "Président·e de l’assemblée" before their group.
        lines.extend(FUNCTION_TEXTS[f.kind](f) for f in term.functions if f.kind in FUNCTION_TEXTS)
        lines.append(_elu_line(term, "responsibilities" in roles))
    if user.unit is not None:
        if "cabinet" in roles:
            lines.append(_("Cabinet"))
        else:
            lines.append(user.unit.path)
    if "manager" in roles:
        lines.append(_("Vous encadrez une équipe : vous convenez avec elle des délais de ses notes."))
    if "admin" in roles:
        lines.append(_("Vous administrez Tandem."))
    return lines


def _elu_line(term, responsibilities: bool) -> str:
    group = term.group.name if term.group else None
    if responsibilities:  # président, vice-président or président de commission: stricter quotas
        return _("Élu·e à responsabilités du groupe %(group)s", group=group) if group else _("Élu·e à responsabilités")
    return _("Élu·e du groupe %(group)s", group=group) if group else _("Élu·e")


def unplaced_people(limit: int = 10) -> list[User]:
    """Active accounts attached to no service and holding no seat: nobody can route work to them."""
    seated = db.select(Elu.user_id)
    return db.session.scalars(
        db.select(User).where(User.active.is_(True), User.unit_id.is_(None), User.is_admin.is_(False),
                              User.id.not_in(seated)).order_by(User.name).limit(limit)).all()


def todo(user) -> list[TodoSection]:
    if "admin" not in roles_of(user):
        return []
    items = [TodoItem(label=p.name, url=url_for("accounts.admin_person", person_id=p.id),
                      detail=_("sans service ni mandat")) for p in unplaced_people()]
    return [TodoSection(title=_("Comptes à rattacher"), items=items, order=80,
                        empty=_("Chaque compte est rattaché à un service ou à un mandat."),
                        more_url=url_for("accounts.admin_people"))]
