"""Who may see or do what with a note. One function per question; nothing else decides.

A note is seen by its author, the manager who agrees its deadline, its addressee élus, the concerned
agents and the delegatees: nobody else, the cabinet and admins included (DESIGN.md §1, issue 3 point 10).
Élus and concerned agents see it only once it was sent: before that it is the service's internal work.
"""

from __future__ import annotations

from webapp.accounts.roles import roles_of
from webapp.notes.models import EDITABLE, IN_INBOX, Note


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_author(user, note: Note) -> bool:
    return _signed_in(user) and note.author_id == user.id


def is_manager(user, note: Note) -> bool:
    return _signed_in(user) and note.manager_id is not None and note.manager_id == user.id


def is_addressee(user, note: Note) -> bool:
    return _signed_in(user) and any(a.user_id == user.id for a in note.addressees)


def is_concerned(user, note: Note) -> bool:
    return _signed_in(user) and any(u.id == user.id for u in note.concerned)


def is_delegatee(user, note: Note) -> bool:
    return _signed_in(user) and any(u.id == user.id for u in note.delegatees)


def can_create(user) -> bool:
    """Agents (and managers, who are agents) draft notes; élus and the cabinet do not."""
    return _signed_in(user) and "agent" in roles_of(user)


def can_view(user, note: Note) -> bool:
    return _may_view(user, note.status, note.author_id, note.manager_id,
                     lambda: is_addressee(user, note) or is_concerned(user, note) or is_delegatee(user, note))


def can_view_row(user, row) -> bool:
    """``can_view`` of a row read in SQL for a list of many notes (the notification centre's): the note's
    ``status``, ``author_id`` and ``manager_id``, and ``involved``, whether the person is one of its
    addressees, concerned agents or delegatees (as ``notes.home`` reads it in SQL)."""
    return _may_view(user, row.status, row.author_id, row.manager_id, lambda: row.involved)


def _may_view(user, status, author_id, manager_id, involved) -> bool:
    if not _signed_in(user):
        return False
    if author_id == user.id:
        return True
    if status in EDITABLE:
        return False
    if manager_id is not None and manager_id == user.id:
        return True
    if status not in IN_INBOX:
        return False
    return involved()


def can_edit(user, note: Note) -> bool:
    return is_author(user, note) and note.status in EDITABLE


def can_submit(user, note: Note) -> bool:
    return can_edit(user, note)


def can_agree(user, note: Note) -> bool:
    """The manager agrees, amends or returns a submitted note."""
    return is_manager(user, note) and note.status == "submitted"


def can_acknowledge(user, note: Note) -> bool:
    return is_addressee(user, note) and note.status in IN_INBOX


def can_answer(user, note: Note) -> bool:
    """Opinion, annotation, question back: an addressee, while the note waits for them."""
    return is_addressee(user, note) and note.status in ("sent", "answered")


def can_annotate(user, note: Note) -> bool:
    return (is_addressee(user, note) or is_delegatee(user, note)) and note.status in (
        "sent", "answered", "question", "delegated")


def can_decide(user, note: Note) -> bool:
    if note.status == "delegated":
        return is_delegatee(user, note)
    return is_addressee(user, note) and note.status in ("sent", "answered")


def can_delegate(user, note: Note) -> bool:
    return is_addressee(user, note) and note.status in ("sent", "answered")


def can_reply(user, note: Note) -> bool:
    """The author answers the élu's question back."""
    return is_author(user, note) and note.status == "question"


def can_renegotiate(user, note: Note) -> bool:
    return (is_addressee(user, note) and note.status in ("sent", "answered", "question")
            and note.pending_renegotiation is None)


def can_settle_renegotiation(user, note: Note) -> bool:
    return (is_author(user, note) or is_manager(user, note)) and note.pending_renegotiation is not None


# Who takes part in a step at all. Whether the note still waits for that step is checked by the
# service inside its compare-and-set: someone who came second gets 409 naming who acted first, with the
# note as it is now; never a 403 for a race (DESIGN.md §5).

def takes_part_in_answer(user, note: Note, kind: str) -> bool:
    if kind in ("decision", "annotation"):
        return is_addressee(user, note) or is_delegatee(user, note)
    return is_addressee(user, note)


def takes_part_in_settlement(user, note: Note) -> bool:
    return is_author(user, note) or is_manager(user, note)


def can_view_figures(user) -> bool:
    """Aggregated figures (no note content): élus, managers, assemblies and admins; not the cabinet."""
    if not _signed_in(user):
        return False
    roles = roles_of(user)
    return "cabinet" not in roles and bool(roles & {"elu", "manager", "assemblies", "admin"})
