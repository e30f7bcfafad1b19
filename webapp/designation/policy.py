"""Who may see and change wishes. One small function per question.

- An élu of the new mandate makes, sees and changes their own wishes (with justifications and answers
  to alerts).
- The coordination and the assemblies service read every élu's wishes and justifications (they
  arbitrate); nobody else does — other élus and agents see none.
"""

from __future__ import annotations

from webapp.organisation import policy as organisation_policy
from webapp.organisation.models import Elu


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_wish(user, term: Elu | None) -> bool:
    return _signed_in(user) and term is not None and term.user_id == user.id


def can_see_wishes_of(user, term: Elu) -> bool:
    if not _signed_in(user):
        return False
    return term.user_id == user.id or organisation_policy.can_draft(user, term.mandate)


def can_arbitrate(user, mandate) -> bool:
    """Only the coordination arbitrates (the assemblies service assists it but does not choose)."""
    return organisation_policy.is_coordinator(user, mandate)


def can_record_vote(user) -> bool:
    """Only the assemblies service records the plenary's vote."""
    return organisation_policy.is_assemblies(user)


def can_remark(user, term: Elu | None) -> bool:
    """An élu leaves questions and objections on the proposal as themself only."""
    return can_wish(user, term)


def can_read_remarks(user, mandate) -> bool:
    """Everyone's questions and objections: the coordination (it answers for the proposal) and the
    assemblies service (it prepares the plenary). Each élu reads their own on their page."""
    return can_arbitrate(user, mandate) or can_record_vote(user)
