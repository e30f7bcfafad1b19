"""Who may see or do what in the commissions domain: one function per question.

Every answer comes from the organisation data (units, commission membership, political groups,
functions), never from anything the client sends.
"""

from __future__ import annotations

from webapp.accounts.models import OrgUnit, User
from webapp.accounts.roles import is_cabinet, roles_of
from webapp.organisation.models import Commission, PoliticalGroup


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_assemblies(user) -> bool:
    return _signed_in(user) and "assemblies" in roles_of(user)


def works_in(user, unit: OrgUnit | None) -> bool:
    """An agent of the unit, or of the direction right above it (a direction oversees its services)."""
    if not _signed_in(user) or unit is None or user.unit_id is None or "agent" not in roles_of(user):
        return False
    return user.unit_id == unit.id or unit.parent_id == user.unit_id


def is_member(user, commission: Commission | None) -> bool:
    return _signed_in(user) and commission is not None and any(m.id == user.id for m in commission.members)


def presides(user, commission: Commission) -> bool:
    """The président·e of this commission (an élu function of the commission's mandate)."""
    if not _signed_in(user):
        return False
    for term in user.elu_terms:
        if term.mandate_id == commission.mandate_id and any(
                f.kind == "commission_president" and f.commission_id == commission.id for f in term.functions):
            return True
    return False


def belongs_to_group(user, group: PoliticalGroup | None, commission: Commission) -> bool:
    """An élu of this political group in the commission's mandate."""
    if not _signed_in(user) or group is None:
        return False
    return any(t.mandate_id == commission.mandate_id and t.group_id == group.id for t in user.elu_terms)


# --- aperçus ----------------------------------------------------------------------------------------

def can_create_apercu(user) -> bool:
    """Agents of a service or direction fill aperçus for the policies they are in charge of."""
    return _signed_in(user) and user.unit is not None and user.unit.kind in ("service", "direction") \
        and "agent" in roles_of(user)


def can_view_apercu(user, apercu) -> bool:
    """Drafts stay in their service (and the assemblies); submitted aperçus are shared with everyone signed in."""
    if not _signed_in(user):
        return False
    if apercu.status == "submitted":
        return True
    return works_in(user, apercu.unit) or apercu.author_id == user.id or is_assemblies(user)


def can_edit_apercu(user, apercu) -> bool:
    """The service keeps its aperçu up to date all along the mandate (obtained results change)."""
    return _signed_in(user) and (apercu.author_id == user.id or works_in(user, apercu.unit))


def involved_agent(user, apercu) -> bool:
    """The agents involved in the project: its author and the agents of its service (or direction)."""
    if not _signed_in(user) or "agent" not in roles_of(user):
        return False
    return apercu.author_id == user.id or works_in(user, apercu.unit)


def can_write_space(user, apercu, space: str) -> bool:
    """Élus of the commission write in the élus' space; the agents involved in the agents' space."""
    if not _signed_in(user) or apercu.status != "submitted":
        return False
    if space == "elus":
        return "elu" in roles_of(user) and is_member(user, apercu.commission)
    if space == "agents":
        return involved_agent(user, apercu)
    return False


def can_edit_comment(user, comment) -> bool:
    """Only its author, and only while they may still write in that space."""
    return _signed_in(user) and comment.author_id == user.id and can_write_space(user, comment.apercu, comment.space)


def can_attach_to_apercu(user, apercu) -> bool:
    """Those who keep the dossier (its service) or contribute to it (the commission's élus, once submitted)."""
    return can_edit_apercu(user, apercu) or can_write_space(user, apercu, "elus") \
        or can_write_space(user, apercu, "agents")


def can_view_attachments(user, apercu) -> bool:
    """The dossier's readers, never the cabinet: a field visit's evidence stays out of its reach (003:782)."""
    return can_view_apercu(user, apercu) and not is_cabinet(user)


# --- templates --------------------------------------------------------------------------------------

def can_edit_template(user, unit: OrgUnit | None) -> bool:
    """The assemblies set the base model and its guidance; a service's managers adapt their own."""
    if unit is None:
        return is_assemblies(user)
    return is_assemblies(user) or (works_in(user, unit) and "manager" in roles_of(user))


# --- bilan sessions ---------------------------------------------------------------------------------

def can_view_session(user, commission: Commission) -> bool:
    return _signed_in(user)


def can_run_session(user, commission: Commission) -> bool:
    """The commission's président·e (chairing the meeting) or the assemblies service (its secretariat)."""
    return presides(user, commission) or is_assemblies(user)


def can_write_group_selection(user, commission: Commission, group: PoliticalGroup | None) -> bool:
    """A political group's own selection is written by that group's élus."""
    return belongs_to_group(user, group, commission)


# --- activity reports -------------------------------------------------------------------------------

def can_upload_report(user, unit: OrgUnit | None) -> bool:
    return works_in(user, unit)


def can_view_report(user, report) -> bool:
    return is_assemblies(user) or works_in(user, report.unit)


def can_list_reports(user) -> bool:
    return is_assemblies(user)


def my_groups(user: User, commission: Commission) -> list[PoliticalGroup]:
    """The groups this person may write a selection for (normally zero or one)."""
    if not _signed_in(user):
        return []
    return [t.group for t in user.elu_terms if t.mandate_id == commission.mandate_id and t.group is not None]
