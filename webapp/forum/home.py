"""The forum's part of the home page: a new élu is reminded to complete their profile."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from webapp.core import facts
from webapp.core.home import TodoItem, TodoSection
from webapp.extensions import db
from webapp.forum import policy, service
from webapp.organisation.models import Elu

SEATED = "forum.seated"  # a seat in the newest mandate: only then is there a profile to complete


def register_facts() -> None:
    facts.register(SEATED, lambda user, now, day: db.exists().where(
        Elu.user_id == user, Elu.mandate_id == service.newest_mandate_id()), on_demand=True)


def todo_sections(user) -> list[TodoSection]:
    if not facts.of(user, SEATED):  # most people: no statement of the forum's own
        return []
    term = service.term_of(user)
    if term is None:
        return []
    profile = service.profile_of(term)
    if profile is not None and profile.complete:
        return []
    return [TodoSection(_("Forum des politiques publiques"), [TodoItem(
        _("Compléter mon profil d’élu"), url_for("forum.my_profile"),
        _("Portrait officiel, présentation, contraintes d’agenda, fonctions exercées par ailleurs."), "soon")],
        order=15)]


def sees_forum(user) -> bool:
    return policy.can_see_stands(user)
