"""Demo notes for the demo authority (webapp/accounts/demo.py): a handful in every state, written by the
tour's agent to the tour's élu, so that the agent has a draft to finish, the manager a deadline to agree
and the élu notes overdue, due today and later.

Idempotent: each note is found by its title and author before it is created.
"""

from __future__ import annotations

from datetime import timedelta

from webapp.accounts.demo import member
from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes import service
from webapp.notes.models import Note

BODY = """## Contexte

Le service propose d’adapter le dispositif actuel aux besoins constatés sur le terrain.
Les familles concernées attendent une réponse avant la prochaine rentrée.

## Proposition

Trois scénarios ont été étudiés avec les partenaires. Le coût estimé varie selon le scénario retenu.

## Calendrier

Une réponse est nécessaire pour préparer la délibération de la prochaine commission permanente.
"""

NOTES = [
    # (title, state, deadline in days from now, options)
    ("Extension des horaires des lieux d’accueil enfants-parents", "sent", 5,
     ["Extension sur deux sites pilotes", "Extension sur tous les sites", "Report à l’an prochain"]),
    ("Convention avec la caisse d’allocations familiales 2027", "sent", -2, []),
    ("Recrutement de deux puéricultrices pour la PMI", "sent", 0.3, ["Recrutement titulaire", "Contrat de projet"]),
    ("Tarification des séjours de vacances adaptés", "submitted", 7, []),
    ("Bilan du plan de prévention précoce", "decided", 3, ["Poursuivre", "Arrêter"]),
    ("Aide aux jeunes majeurs sortant de l’ASE", "draft", 10, []),
]


def build() -> None:
    """Create the demo notes once, in realistic states."""
    agent, elu = member("agent"), member("elu")
    if agent is None or elu is None:
        return
    concerned = db.session.scalars(db.select(User).where(
        User.unit_id == agent.unit_id, User.id != agent.id, User.id != agent.manager_id)
        .order_by(User.email).limit(1)).all()
    for title, state, days, options in NOTES:
        if db.session.scalar(db.select(Note).where(Note.title == title, Note.author_id == agent.id)):
            continue
        _make(agent, elu, concerned, title, state, days, options)
    db.session.flush()


def _make(agent, elu, concerned, title, state, days, options) -> None:
    now = utcnow()
    deadline = now + timedelta(days=days)
    # Dates in the past are reached by acting "earlier": the clock is passed explicitly to the service.
    start = min(now, deadline - timedelta(days=7))
    note = service.create_note(agent, title=title, body=BODY, addressee_ids=[elu.id],
                               concerned_ids=[u.id for u in concerned], options=options,
                               proposed_deadline=deadline,
                               proposed_argument="La commission permanente examine le dossier juste après.")
    if state == "draft":
        return
    service.submit(agent, note, now=start)
    if state == "submitted":
        return
    service.agree(agent.manager, note, now=start)
    if state == "sent" and options:
        # The élu has begun reading on the phone: one remark on a passage, shown where it applies.
        service.answer(elu, note, kind="annotation", quote="Le coût estimé varie selon le scénario retenu.",
                       text="Merci de chiffrer chaque scénario, même approximativement.",
                       now=start + timedelta(hours=5))
    if state == "decided":
        service.acknowledge(elu, note, now=start + timedelta(hours=3))
        service.answer(elu, note, kind="decision", verdict="option", option_label="A",
                       text="D’accord pour poursuivre, avec un point d’étape dans six mois.",
                       now=start + timedelta(days=2))
