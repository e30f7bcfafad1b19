"""The words a reader sees about a note: its state from their side ("À traiter", not "Envoyée à
l’élu·e") and the one line at the top of the note page saying what is expected of them and by when."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from webapp.core.clock import to_paris, utcnow
from webapp.core.i18n import language, translated
from webapp.core.templating import when as when_words
from webapp.notes import policy
from webapp.notes.models import Note

# Who reads, in the order their view of the note matters.
_FOR_ADDRESSEE = {"sent": "À traiter", "answered": "À traiter", "question": "Question posée à l’auteur",
                  "delegated": "Déléguée", "decided": "Décidée"}
_FOR_DELEGATEE = {"delegated": "À traiter", "decided": "Décidée"}
_FOR_AUTHOR = {"draft": "Brouillon", "returned": "À reprendre", "submitted": "Chez votre encadrant·e",
               "sent": "Chez l’élu·e", "answered": "Avis rendu", "question": "Question à traiter",
               "delegated": "Décision déléguée", "decided": "Décidée"}
_FOR_MANAGER = {"submitted": "Délai à convenir", "sent": "Chez l’élu·e", "answered": "Avis rendu",
                "question": "Question à l’auteur", "delegated": "Décision déléguée", "decided": "Décidée"}
_OTHERS = {"sent": "Chez l’élu·e", "answered": "Avis rendu", "question": "Question à l’auteur",
           "delegated": "Décision déléguée", "decided": "Décidée"}


def reader_status(note: Note, user) -> str:
    """The note's state in plain words, from the side of ``user``."""
    for applies, words in ((policy.is_delegatee, _FOR_DELEGATEE), (policy.is_addressee, _FOR_ADDRESSEE),
                           (policy.is_author, _FOR_AUTHOR), (policy.is_manager, _FOR_MANAGER)):
        if applies(user, note) and note.status in words:
            return _(words[note.status])
    return _(_OTHERS.get(note.status, note.status))


class InboxLine(NamedTuple):
    """An inbox row as the page prints it: every word and link already made (no call per row in Jinja)."""

    id: str
    href: str
    title: str
    status: str
    words: str  # the state from the reader's side
    unread: bool
    deadline: str
    author: str
    unit: str | None
    argument: str | None


URGENCY_ORDER = ("overdue", "today", "soon", "later", "paused", "done")


def note_lines(rows, note_href: str, urgency, now: datetime, labels: dict) -> list[tuple[str, InboxLine]]:
    """An agent's notes (``service.my_notes_page`` rows) as ``(urgency, line)`` pairs, the state in the
    author's words (``labels``)."""
    lang = language()
    return [(urgency(row, now), InboxLine(
        str(row.id), note_href.format(row.id), row.title, row.status,
        translated(labels.get(row.status, row.status), lang), False, when_words(row.deadline, lang=lang),
        row.author, row.unit, row.deadline_argument)) for row in rows]


def inbox_groups(rows, note_href: str, urgency, now: datetime) -> list[tuple[str, list[InboxLine]]]:
    """The page's rows grouped by urgency (overdue first), as lines; ``note_href`` has ``{}`` for the id."""
    lang = language()
    groups: dict[str, list[InboxLine]] = {}
    for row in rows:
        words = (_FOR_ADDRESSEE if row.addressed else _FOR_DELEGATEE).get(row.status) or _OTHERS.get(row.status)
        key = str(row.id)
        groups.setdefault(urgency(row, now), []).append(InboxLine(
            key, note_href.format(key), row.title, row.status, translated(words, lang) if words else row.status,
            row.unread, when_words(row.deadline, lang=lang), row.author, row.unit, row.deadline_argument))
    return [(key, groups[key]) for key in URGENCY_ORDER if key in groups]


def is_unread(note: Note, user) -> bool:
    """An addressee who has not opened the note yet."""
    return any(a.user_id == user.id and a.acknowledged_at is None for a in note.addressees)


def _by_when(deadline: datetime | None, now: datetime) -> str:
    """ "avant le 28 nov. — en retard de 2 jours" """
    if deadline is None:
        return ""
    day = format_date(to_paris(deadline).date(), "d MMM")
    days = (to_paris(now).date() - to_paris(deadline).date()).days
    if deadline < now:
        late = ngettext("en retard de %(num)d jour", "en retard de %(num)d jours", days) if days > 0 else \
            _("en retard depuis aujourd’hui")
        return _("avant le %(day)s — %(late)s", day=day, late=late)
    if days == 0:
        return _("avant ce soir (%(day)s)", day=day)
    return _("avant le %(day)s — dans %(left)s", day=day,
             left=ngettext("%(num)d jour", "%(num)d jours", -days))


def expectation(note: Note, user, can: dict, now: datetime | None = None) -> tuple[str, str]:
    """(line, tone): what this reader is expected to do, and by when; tone is late, due or info."""
    now = now or utcnow()
    late = note.deadline is not None and note.deadline < now and note.status in ("sent", "delegated", "answered")
    when = _by_when(note.deadline, now)
    if can.get("decide"):
        return (_("Décision attendue %(when)s", when=when) if when else _("Décision attendue")), (
            "late" if late else "due")
    if can.get("reply"):
        return _("Votre réponse à la question de l’élu·e est attendue (délai suspendu)"), "due"
    if can.get("agree"):
        return _("Délai à convenir : la note attend votre accord pour partir"), "due"
    if can.get("settle_renegotiation"):
        return _("Une demande de délai supplémentaire attend votre réponse"), "due"
    if can.get("edit"):
        return _("Brouillon : à terminer puis soumettre à votre encadrant·e"), "info"
    if note.status == "decided":
        return _("Décidée : rien n’est attendu de vous"), "info"
    if note.status == "question" and policy.is_addressee(user, note):
        return _("Question posée à l’auteur : le délai reprend à sa réponse"), "info"
    if note.status == "delegated" and policy.is_addressee(user, note):
        return _("Décision déléguée : rien n’est attendu de vous"), "info"
    return (_("Réponse de l’élu·e attendue %(when)s", when=when) if when else reader_status(note, user)), "info"


@lru_cache(maxsize=8)
def event_labels(lang: str) -> dict[str, str]:
    """What each step of a note's history is called, in ``lang``: made once per language, not on every
    note page."""
    return {
        "note.created": translated("Note créée", lang), "note.updated": translated("Note modifiée", lang),
        "note.submitted": translated("Soumise à l’encadrant·e", lang), "note.agreed": translated("Délai convenu", lang),
        "note.amended": translated("Délai modifié et convenu", lang),
        "note.self_agreed": translated("Délai fixé par l’auteur (sans encadrant·e)", lang),
        "note.sent": translated("Transmise à l’élu·e", lang), "note.returned": translated("Renvoyée à l’auteur", lang),
        "note.acknowledged": translated("Lue", lang), "note.decision": translated("Décision rendue", lang),
        "note.opinion": translated("Avis rendu", lang), "note.annotation": translated("Passage annoté", lang),
        "note.question": translated("Question à l’auteur", lang), "note.reply": translated("Réponse de l’auteur", lang),
        "note.delegated": translated("Décision déléguée", lang),
        "note.renegotiation_requested": translated("Délai supplémentaire demandé", lang),
        "note.renegotiation_accepted": translated("Délai supplémentaire accordé", lang),
        "note.renegotiation_refused": translated("Délai supplémentaire refusé", lang),
        "note.reminder_before": translated("Rappel : échéance dans 24 h", lang),
        "note.reminder_due": translated("Rappel : échéance atteinte", lang),
        "note.reminder_overdue": translated("Retard signalé à l’auteur et à l’encadrant·e", lang),
        "oncall_paged": translated("Astreinte : transmise à la personne de garde", lang),
        "oncall_escalated": translated("Astreinte : sans accusé de réception, transmise à la personne suivante", lang),
    }
