"""What the élu's phone stores ahead of time, and the words the pages use for the reader (issue 10)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from tests.notes.helpers import note_in, world
from webapp.core.clock import PARIS, to_paris, utcnow
from webapp.extensions import db
from webapp.notes import ahead, service
from webapp.notes.models import NoteAddressee

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _pdf_note(w):
    note = note_in(w, "draft")
    service.add_attachment(w.author, note, "chiffrage.pdf", PDF)
    service.add_attachment(w.author, note, "annexe-lourde.pdf", PDF + b"0" * (ahead.MAX_ATTACHMENT + 1))
    service.submit(w.author, note)
    service.agree(w.manager, note)
    db.session.commit()
    return note


def test_the_list_holds_the_notes_waiting_for_the_person_and_light_attachments(client, make):
    w = world(make)
    waiting = _pdf_note(w)
    decided = note_in(w, "decided")
    client.login(w.elu)
    urls = [item["url"] for item in client.get("/notes/ahead").get_json()["items"]]
    assert f"/notes/{waiting.id}" in urls and f"/notes/{decided.id}" not in urls
    assert "/offline" in urls and "/notes/inbox" in urls
    light, heavy = sorted(waiting.attachments, key=lambda a: a.size)
    assert f"/notes/{waiting.id}/attachments/{light.id}" in urls
    assert f"/notes/{waiting.id}/attachments/{heavy.id}" not in urls  # over the per-file budget


def test_a_delegatee_stores_the_note_delegated_to_them(client, make):
    w = world(make)
    note = note_in(w, "delegated")
    client.login(w.delegatee)
    assert f"/notes/{note.id}" in [i["url"] for i in client.get("/notes/ahead").get_json()["items"]]


def test_a_page_stored_ahead_is_not_a_receipt_but_opening_it_is(client, make):
    w = world(make)
    note = note_in(w, "sent")
    client.login(w.elu)
    page = client.get(f"/notes/{note.id}", headers={"X-Tandem-Ahead": "1"}).get_data(as_text=True)
    assert f'data-acknowledge-url="/api/v1/notes/{note.id}/acknowledge"' in page  # sent from the device later
    receipt = db.session.scalar(db.select(NoteAddressee).where(NoteAddressee.note_id == note.id))
    assert receipt.acknowledged_at is None
    page = client.get(f"/notes/{note.id}").get_data(as_text=True)
    db.session.refresh(receipt)
    assert receipt.acknowledged_at is not None and "data-acknowledge-url" not in page


def test_notes_in_the_navigation_is_the_inbox_without_a_redirect_for_an_elu(client, make):
    w = world(make)
    client.login(w.elu)
    response = client.get("/notes")
    assert response.status_code == 200 and "Boîte de réception" in response.get_data(as_text=True)


def test_the_inbox_marks_unread_notes_says_when_a_search_finds_nothing_and_speaks_from_the_reader(client, make):
    w = world(make)
    note = note_in(w, "sent")
    client.login(w.elu)
    page = client.get("/notes/inbox").get_data(as_text=True)
    assert "(non lue)" in page and "À traiter" in page and "Envoyée à l’élu·e" not in page
    client.get(f"/notes/{note.id}")
    assert "(non lue)" not in client.get("/notes/inbox").get_data(as_text=True)
    empty = client.get("/notes/inbox?q=piscine").get_data(as_text=True)
    assert "Aucune note ne correspond à « piscine »." in empty and "Effacer la recherche" in empty


def test_the_inbox_shows_a_page_at_a_time_and_the_next_one_goes_on_from_its_last_note(client, make, monkeypatch):
    from webapp.notes.views import lists

    monkeypatch.setattr(lists, "INBOX_PAGE", 2)
    w = world(make)
    notes = [note_in(w, "sent", days=3 + i) for i in range(3)]
    for note, title in zip(notes, ("Cantine", "Piscine", "Voirie"), strict=True):
        note.title = title
    db.session.commit()
    client.login(w.elu)
    first = client.get("/notes/inbox").get_data(as_text=True)
    assert "Cantine" in first and "Piscine" in first and "Voirie" not in first
    assert "Retour au début" not in first
    following = re.search(r'<a href="([^"]*after=[^"]*)">Notes suivantes</a>', first).group(1)
    second = client.get(following.replace("&amp;", "&")).get_data(as_text=True)
    assert "Voirie" in second and "Cantine" not in second and "Piscine" not in second
    assert "Notes suivantes" not in second and "Retour au début" in second
    assert client.get("/notes/inbox?after=n.i.mporte").status_code == 200  # a made-up cursor: the first page


def test_the_note_page_starts_with_what_is_expected_and_how_late(client, make):
    w = world(make)
    note = note_in(w, "sent")
    # Late is counted in calendar days in Paris: noon two days ago is two days late at any hour of today.
    two_days_ago = to_paris(utcnow()).date() - timedelta(days=2)
    note.deadline = datetime.combine(two_days_ago, time(12), tzinfo=PARIS).astimezone(UTC)
    db.session.commit()
    client.login(w.elu)
    page = client.get(f"/notes/{note.id}").get_data(as_text=True)
    assert "Décision attendue avant le" in page and "en retard de 2 jours" in page
    assert page.index('id="note-expectation"') < page.index('id="note-title"') < page.index('class="action-bar"')
    assert ">Approuver<" not in page.replace(" ", "")  # options are the choices when the note has options


def test_the_inbox_speaks_each_readers_language_one_after_the_other(client, make):
    """Strings are translated once per language and process: a French page after an English one (and
    the reverse) still speaks its reader's language, in the headings, rows and navigation."""
    w = world(make)
    note = note_in(w, "sent")
    note.deadline = utcnow() - timedelta(days=3)
    db.session.commit()
    for language, words, others in (("en", ("Overdue", "To do", "Due", "New"), ("En retard", "À traiter")),
                                    ("fr", ("En retard", "À traiter", "Échéance", "Nouvelle"), ("Overdue", "To do")),
                                    ("en", ("Overdue", "To do", "Due", "New"), ("En retard", "À traiter"))):
        w.elu.language = language
        db.session.commit()
        client.login(w.elu)
        page = client.get("/notes/inbox").get_data(as_text=True)
        assert all(word in page for word in words), language
        assert not any(word in page for word in others), language
