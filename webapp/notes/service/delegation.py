"""The élu hands the decision to agents or another élu."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.models import User
from webapp.core.audit import record
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set
from webapp.extensions import db
from webapp.notes import policy
from webapp.notes.models import Delegation, Note
from webapp.notes.service.common import _answer_audience, _expect, _first_response, _invalid, _snapshot, note_url
from webapp.notes.service.people import _check_not_cabinet, _users
from webapp.push.service import notify


def delegate(actor: User, note: Note, delegatee_ids, instructions: str, now: datetime | None = None) -> Delegation:
    """The élu hands the decision to agents or another élu; they record the decision."""
    now = now or utcnow()
    return compare_and_set(lambda: _delegate(actor, note, delegatee_ids, instructions, now))


def _delegate(actor: User, note: Note, delegatee_ids, instructions: str, now: datetime) -> Delegation:
    _expect(policy.can_delegate(actor, note), note)
    people = _users(delegatee_ids)
    if not people:
        raise _invalid(_("Choisissez à qui déléguer."), delegatee_ids=_("Obligatoire."))
    _check_not_cabinet(people, "delegatee_ids")
    if any(p.id == actor.id for p in people):
        raise _invalid(_("Vous ne pouvez pas vous déléguer la décision."), delegatee_ids=_("Invalide."))
    if not (instructions or "").strip():
        raise _invalid(_("Donnez vos consignes."), instructions=_("Obligatoire."))
    before = _snapshot(note)
    item = Delegation(note=note, by_id=actor.id, by=actor, instructions=instructions.strip(), delegatees=people,
                      created_at=now)
    db.session.add(item)
    _first_response(note, now)
    note.status = "delegated"
    db.session.flush()
    record(actor, "note.delegated", note, before=before,
           after={**_snapshot(note), "delegatees": [str(p.id) for p in people]})
    notify(people, kind="note.delegated_to_you", title=_l("Décision déléguée"),
           body=_l("Un·e élu·e vous délègue une décision."), url=note_url(note))
    notify(_answer_audience(note), kind="note.delegated", title=_l("Note déléguée"),
           body=_l("L’élu·e a délégué la décision."), url=note_url(note), exclude=None)
    return item
