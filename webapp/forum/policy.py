"""Who may see or do what in the forum. One small function per question.

The profile's parts and who sees each (003:545-550 asks for the constraints and the other functions;
the issue decides who reads them):

- the portrait: the élu, the assemblies service, every signed-in person; the public only with consent;
- the presentation (text, themes, preferred contact): the élu, the assemblies service, signed-in people;
- the agenda constraints with their reasons, and the declared interests: the élu and the assemblies
  service only. The designation reads them through ``service.private_profile_for_designation``, a
  service-to-service call that no page or API route exposes to a person.
"""

from __future__ import annotations

from webapp.accounts.models import OrgUnit
from webapp.organisation.models import Elu

PARTS = ("portrait", "presentation", "constraints", "interests")
PRIVATE_PARTS = ("constraints", "interests")
STAND_KINDS = ("direction", "service", "assemblies")


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_assemblies(user) -> bool:
    return _signed_in(user) and user.unit is not None and user.unit.kind == "assemblies"


def is_self(user, term: Elu) -> bool:
    return _signed_in(user) and term.user_id == user.id


def can_see_part(user, term: Elu, part: str, consent: bool = False) -> bool:
    """May ``user`` (None or anonymous for the public) see this part of the élu's profile?"""
    if not _signed_in(user):
        return part == "portrait" and consent
    if is_self(user, term) or is_assemblies(user):
        return True
    return part in ("portrait", "presentation")


def can_edit_profile(user, term: Elu) -> bool:
    """The élu, or the assemblies service filling it with them at its stand."""
    return is_self(user, term) or is_assemblies(user)


def can_manage_mandates(user) -> bool:
    return is_assemblies(user)


def can_follow_progress(user) -> bool:
    return is_assemblies(user)


# --- stands and questions -----------------------------------------------------------------------------

def belongs_to_stand(user, unit: OrgUnit) -> bool:
    """Agents of the unit, and of the direction above a service, speak for its stand."""
    if not _signed_in(user) or user.unit is None:
        return False
    return user.unit_id == unit.id or user.unit_id == unit.parent_id


def can_see_stands(user) -> bool:
    return _signed_in(user)


def can_edit_stand(user, unit: OrgUnit) -> bool:
    return belongs_to_stand(user, unit) or is_assemblies(user)


def can_ask(user, term: Elu | None) -> bool:
    """Élus of the new mandate leave questions; ``term`` is their seat in it (None if they have none)."""
    return _signed_in(user) and term is not None


def can_answer(user, question) -> bool:
    return belongs_to_stand(user, question.unit)


def can_see_question(user, question) -> bool:
    """Questions and answers are open to every signed-in person unless the élu marked them private."""
    if not _signed_in(user):
        return False
    if not question.private:
        return True
    return question.author_id == user.id or can_answer(user, question) or is_assemblies(user)
