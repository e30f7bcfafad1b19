"""Who may see, write and agree an anti-manuel; who may read a pair's review. One function per question.

- The head of service and the élus référents write the rules together, propose versions and agree them.
- The agents of the service (and of the services of a direction's anti-manuel) read the rules in force:
  they draft the notes the rules apply to. Everyone else gets a 404: an anti-manuel is the pair's own.
- A pair's review (service × élu) is read by that élu and the head of service; each answers their own
  three questions.
"""

from __future__ import annotations

from webapp.cooperation.models import Charter, CharterVersion


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_party(user, charter: Charter) -> bool:
    """The head of service or one of the élus référents."""
    return _signed_in(user) and (user.id == charter.head_id or any(e.id == user.id for e in charter.elus))


def works_under(user, charter: Charter) -> bool:
    if not _signed_in(user) or user.unit is None:
        return False
    return charter.unit_id in (user.unit_id, user.unit.parent_id)


def can_view(user, charter: Charter) -> bool:
    return _signed_in(user) and (user.is_admin or is_party(user, charter) or works_under(user, charter))


def can_edit(user, charter: Charter) -> bool:
    return is_party(user, charter)


def can_agree(user, version: CharterVersion) -> bool:
    return (version.status == "proposed" and is_party(user, version.charter)
            and all(a.user_id != user.id for a in version.agreements))


def can_open(user, unit, head, elus) -> bool:
    """The head of the unit, one of its élus référents, or an administrator opens its anti-manuel."""
    return _signed_in(user) and (user.is_admin or (head is not None and head.id == user.id)
                                 or any(e.id == user.id for e in elus))


def can_see_review(user, charter: Charter, elu) -> bool:
    return _signed_in(user) and (user.id == charter.head_id or (user.id == elu.id and is_party(user, charter)))
