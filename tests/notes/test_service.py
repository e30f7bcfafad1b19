"""The rules of notes en stock, at the service level."""

from datetime import timedelta

import pytest

from tests.notes.helpers import BODY, note_in, world
from webapp.core.audit import history
from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.notes import service
from webapp.push.models import Notification


def _notes_of(user):
    return db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.created_at)).all()


def test_submitting_requires_a_deadline_and_its_argument(make):
    w = world(make)
    note = service.create_note(w.author, title="Sans délai", body=BODY, addressee_ids=[w.elu.id])
    with pytest.raises(DomainError) as refused:
        service.submit(w.author, note)
    assert refused.value.status == 422
    assert set(refused.value.fields) == {"proposed_deadline", "proposed_argument"}
    assert note.status == "draft"


def test_submitted_note_waits_for_the_manager_who_is_told_without_the_content(make):
    w = world(make)
    note = note_in(w, "submitted")
    assert note.status == "submitted" and note.manager_id == w.manager.id
    [told] = _notes_of(w.manager)
    assert told.title == "Délai à convenir"
    assert note.title not in told.title + told.body
    assert _notes_of(w.elu) == []  # only an agreed note reaches the élu


def test_each_person_is_notified_in_their_own_language(make):
    w = world(make)
    w.manager.language = "en"  # the author writes in French; the manager reads Tandem in English
    db.session.commit()
    note_in(w, "agreed")
    [to_agree, *_] = _notes_of(w.manager)
    assert to_agree.title == "Deadline to agree"
    assert to_agree.body == "A note from your team is awaiting your approval of its response deadline."
    [received] = _notes_of(w.elu)
    assert received.title == "Nouvelle note à traiter"


def test_manager_amending_the_deadline_must_say_why_and_the_record_keeps_it(make):
    w = world(make)
    note = note_in(w, "submitted")
    later = note.proposed_deadline + timedelta(days=3)
    with pytest.raises(DomainError):
        service.agree(w.manager, note, deadline=later)
    service.agree(w.manager, note, deadline=later, argument="Après le comité technique.", comment="Trop court.")
    assert (note.status, note.deadline, note.agreed_by_id) == ("sent", later, w.manager.id)
    assert note.deadline_argument == "Après le comité technique."
    assert "note.amended" in [e.action for e in history(note)]
    assert [n.title for n in _notes_of(w.elu)] == ["Nouvelle note à traiter"]


def test_author_without_manager_agrees_the_deadline_themself_and_it_is_recorded(make):
    unit = make.unit()
    author = make.agent("Directrice sans encadrant", unit=unit)
    elu = make.elu(functions=[{"kind": "vice_president", "units": [unit]}])
    note = service.create_note(author, title="Note", body=BODY, addressee_ids=[elu.id],
                               proposed_deadline=utcnow() + timedelta(days=2), proposed_argument="Urgent.")
    service.submit(author, note)
    assert note.status == "sent" and note.self_agreed and note.agreed_by_id == author.id
    assert "note.self_agreed" in [e.action for e in history(note)]


def test_manager_returns_the_note_and_the_author_can_edit_again(make):
    w = world(make)
    note = note_in(w, "submitted")
    with pytest.raises(DomainError):
        service.return_to_author(w.manager, note, "")
    service.return_to_author(w.manager, note, "Précisez le coût.")
    assert note.status == "returned" and note.return_comment == "Précisez le coût."
    service.update_note(w.author, note, body=BODY + "\n\nCoût : 40 000 €.")
    service.submit(w.author, note)
    assert note.status == "submitted" and note.return_comment == ""


def test_first_opening_is_the_acknowledgement_later_ones_change_nothing(make):
    w = world(make)
    note = note_in(w, "sent")
    assert service.acknowledge(w.elu, note) is True
    first = note.addressees[0].acknowledged_at
    assert service.acknowledge(w.elu, note) is False
    assert note.addressees[0].acknowledged_at == first
    assert service.acknowledge(w.unrelated, note) is False


def test_choosing_an_option_decides_and_tells_author_and_concerned_not_the_manager(make):
    w = world(make)
    note = note_in(w, "sent")
    before_manager = len(_notes_of(w.manager))
    service.answer(w.elu, note, kind="decision", verdict="option", option_label="B", text="Allons-y.")
    assert note.status == "decided" and note.decision.option.description == "Tous les sites"
    assert _notes_of(w.author)[-1].title == "Décision rendue"
    assert _notes_of(w.concerned)[-1].title == "Décision rendue"
    assert len(_notes_of(w.manager)) == before_manager
    with pytest.raises(DomainError):
        service.answer(w.elu, note_in(w, "sent"), kind="decision", verdict="option", option_label="Z")


def test_annotation_must_quote_a_passage_of_the_note_and_records_where(make):
    w = world(make)
    note = note_in(w, "sent")
    with pytest.raises(DomainError) as refused:
        service.answer(w.elu, note, kind="annotation", quote="un passage inventé", text="?")
    assert "quote" in refused.value.fields
    item = service.answer(w.elu, note, kind="annotation", quote="deux sites pilotes", text="Lesquels ?")
    assert item.offset == BODY.index("deux sites pilotes")
    assert note.status == "sent"


def test_question_back_pauses_the_clock_and_the_reply_extends_the_deadline(make):
    w = world(make)
    note = note_in(w, "sent")
    deadline = note.deadline
    asked = utcnow()
    service.answer(w.elu, note, kind="question", text="Quel coût ?", now=asked)
    assert note.status == "question" and service.urgency(note) == "paused"
    service.reply(w.author, note, "40 000 €.", now=asked + timedelta(hours=30))
    assert note.status == "sent"
    assert note.deadline == deadline + timedelta(hours=30)
    assert _notes_of(w.elu)[-1].title == "Réponse à votre question"


def test_delegatee_records_the_decision_and_everyone_sees_the_chain(make):
    w = world(make)
    note = note_in(w, "delegated")
    from webapp.notes import policy

    assert policy.can_decide(w.delegatee, note) and not policy.can_decide(w.elu, note)
    assert policy.can_view(w.delegatee, note)
    service.answer(w.delegatee, note, kind="decision", verdict="approve")
    assert note.status == "decided" and note.decision.author_id == w.delegatee.id
    assert [d.by_id for d in note.delegations] == [w.elu.id]
    with pytest.raises(DomainError):
        service.delegate(w.elu, note_in(w, "sent"), [w.cabinet.id], "Voyez avec le cabinet.")


def test_renegotiation_accepted_moves_the_deadline_refused_keeps_it(make):
    w = world(make)
    note = note_in(w, "renegotiation")
    item = note.pending_renegotiation
    assert _notes_of(w.author)[-1].title == "Demande de délai supplémentaire"
    service.settle_renegotiation(w.manager, note, item, accept=True)
    assert note.deadline == item.requested_deadline and note.pending_renegotiation is None
    other = note_in(w, "renegotiation")
    kept = other.deadline
    service.settle_renegotiation(w.author, other, other.pending_renegotiation, accept=False, comment="Non.")
    assert other.deadline == kept
    with pytest.raises(DomainError):
        service.request_renegotiation(w.elu, other, kept - timedelta(days=1), "Plus tôt ?")


def test_reminders_before_at_and_after_the_deadline_are_sent_once_each(make):
    w = world(make)
    note = note_in(w, "sent", days=2)
    deadline = note.deadline
    assert service.send_due_reminders(deadline - timedelta(hours=30)) == 0
    assert service.send_due_reminders(deadline - timedelta(hours=20)) == 1
    assert service.send_due_reminders(deadline - timedelta(hours=10)) == 0
    assert _notes_of(w.elu)[-1].title == "Échéance demain"
    assert service.send_due_reminders(deadline + timedelta(minutes=5)) == 1
    assert _notes_of(w.elu)[-1].title == "Échéance atteinte"
    assert service.urgency(note, deadline + timedelta(hours=2)) == "overdue"
    assert service.send_due_reminders(deadline + timedelta(hours=2)) == 1
    assert service.send_due_reminders(deadline + timedelta(hours=3)) == 0
    assert _notes_of(w.author)[-1].title == "Note en retard"
    assert _notes_of(w.manager)[-1].title == "Note en retard"
    assert "note.reminder_overdue" in [e.action for e in history(note)]


def test_decided_or_paused_notes_get_no_reminder(make):
    w = world(make)
    decided = note_in(w, "decided", days=0.5)
    paused = note_in(w, "question", days=0.5)
    assert service.send_due_reminders(utcnow() + timedelta(days=2)) == 0
    assert decided.status == "decided" and paused.status == "question"


def test_inbox_orders_by_urgency_then_answered_notes(make):
    w = world(make)
    later = note_in(w, "sent", days=10)
    soon = note_in(w, "sent", days=1.5)
    done = note_in(w, "decided", days=0.5)
    rows = db.session.scalars(service.inbox_query(w.elu)).all()
    assert [n.id for n in rows] == [soon.id, later.id, done.id]
    assert [service.urgency(n) for n in rows] == ["soon", "later", "done"]
    assert db.session.scalars(service.inbox_query(w.other_elu)).all() == []
    assert [n.id for n in db.session.scalars(service.inbox_query(w.elu, status="decided"))] == [done.id]


def test_figures_give_median_response_time_on_time_share_delegations_and_renegotiations(make):
    w = world(make)
    note = note_in(w, "sent")
    service.answer(w.elu, note, kind="decision", verdict="approve", now=note.sent_at + timedelta(hours=10))
    note_in(w, "delegated")
    note_in(w, "renegotiation")
    row = next(r for r in service.figures()["elus"] if r["name"] == "Élue Destinataire")
    assert row["notes"] == 3 and row["answered"] == 2
    assert row["on_time_share"] == 1.0
    assert row["delegations"] == 1 and row["renegotiations"] == 1
    assert 0 < row["median_response_hours"] <= 10
    [unit_row] = service.figures()["services"]
    assert unit_row["notes"] == 3
