"""The rules of notes en stock (003:700-756) and every state transition. Views and the API only call these.

One module per sub-feature, each re-exported here so that ``from webapp.notes import service`` reads them all:

* ``drafting``: drafts, sending to the manager, the deadline agreed or amended, the note returned
  (and the rule for an author without a manager);
* ``attachments``: files joined to a draft;
* ``answers``: the receipt, decisions, opinions, annotations, the question back and the reply
  (and the paused clock);
* ``delegation``, ``renegotiation``: handing the decision on, asking for a later deadline;
* ``lists``: urgency, the inbox, an agent's notes, the timeline;
* ``reminders``: deadline reminders and escalation; ``reporting``: the figures;
* ``people``: who may be an addressee, concerned or a delegatee; ``common``: loading, URLs, 409s.

The élu's response time (figures) runs from sending to the first decision, opinion or delegation.
"""

from webapp.notes.service.answers import acknowledge, answer, reply
from webapp.notes.service.attachments import (
    MAX_ATTACHMENT,
    MAX_ATTACHMENTS,
    SIGNATURES,
    add_attachment,
    remove_attachment,
)
from webapp.notes.service.common import DEADLINE_HOUR, conflict, deadline_from_day, get_note, note_url, state_message
from webapp.notes.service.delegation import delegate
from webapp.notes.service.drafting import (
    OPTION_LABELS,
    agree,
    create_note,
    on_sent,
    return_to_author,
    submit,
    update_note,
)
from webapp.notes.service.inbox import inbox_rows
from webapp.notes.service.lists import (
    FILTER_CHOICES,
    LOOK_AHEAD,
    SOON,
    author_todo,
    delegated_to,
    inbox_filter_choices,
    inbox_page,
    inbox_query,
    my_notes_page,
    my_notes_query,
    notes_to_agree,
    register_facts,
    timeline,
    urgency,
)
from webapp.notes.service.people import colleagues_of, current_elus, delegate_choices, suggested_addressees
from webapp.notes.service.reminders import REMIND_BEFORE, send_due_reminders
from webapp.notes.service.renegotiation import request_renegotiation, settle_renegotiation
from webapp.notes.service.reporting import figures

__all__ = [
    "DEADLINE_HOUR",
    "FILTER_CHOICES",
    "LOOK_AHEAD",
    "MAX_ATTACHMENT",
    "MAX_ATTACHMENTS",
    "OPTION_LABELS",
    "REMIND_BEFORE",
    "SIGNATURES",
    "SOON",
    "acknowledge",
    "add_attachment",
    "agree",
    "answer",
    "author_todo",
    "colleagues_of",
    "conflict",
    "create_note",
    "current_elus",
    "deadline_from_day",
    "delegate",
    "delegate_choices",
    "delegated_to",
    "figures",
    "get_note",
    "inbox_filter_choices",
    "inbox_page",
    "inbox_query",
    "inbox_rows",
    "my_notes_page",
    "my_notes_query",
    "note_url",
    "notes_to_agree",
    "on_sent",
    "register_facts",
    "remove_attachment",
    "reply",
    "request_renegotiation",
    "return_to_author",
    "send_due_reminders",
    "settle_renegotiation",
    "state_message",
    "submit",
    "suggested_addressees",
    "timeline",
    "update_note",
    "urgency",
]
