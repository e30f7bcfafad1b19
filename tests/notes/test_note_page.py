"""The note page as its readers see it: annotated passages are marked inside the text."""

from __future__ import annotations

from tests.notes.helpers import note_in, world
from webapp.extensions import db
from webapp.notes import service


def test_annotated_passages_are_marked_in_the_note_and_linked_from_the_exchanges(client, make):
    w = world(make)
    note = note_in(w, "sent")
    note.body += "\n\nCoût : 40 000 € & **1 poste**."
    db.session.commit()
    placed = service.answer(w.elu, note, kind="annotation", quote="deux sites pilotes", text="Lesquels ?")
    ampersand = service.answer(w.elu, note, kind="annotation", quote="40 000 € &", text="Sur quel budget ?")
    across = service.answer(w.elu, note, kind="annotation", quote="& **1 poste**", text="Temps plein ?")
    db.session.commit()
    client.login(w.author)
    page = client.get(f"/notes/{note.id}").get_data(as_text=True)
    assert f'<mark id="annotation-{placed.id}">deux sites pilotes</mark>' in page
    assert f'<mark id="annotation-{ampersand.id}">40 000 € &amp;</mark>' in page
    assert f'href="#annotation-{placed.id}"' in page and f'href="#annotation-{ampersand.id}"' in page
    # A passage across formatting cannot be marked: it stays listed with its quote, without a dead link.
    assert f"annotation-{across.id}" not in page and "« &amp; **1 poste** »" in page
    assert page.count("<mark") == 2


def test_a_passage_selected_across_bold_text_is_accepted_as_read_on_screen(make):
    w = world(make)
    note = note_in(w, "sent")
    note.body += "\n\nLe **budget** prévu reste à voter."
    db.session.commit()
    item = service.answer(w.elu, note, kind="annotation", quote="Le budget prévu reste", text="Quand ?")
    assert (item.quote, item.offset) == ("Le budget prévu reste", None)


def test_the_elu_delegates_to_the_authors_direction_first_then_to_elus_never_to_themself(client, make):
    import re

    w = world(make)
    note = note_in(w, "sent")
    client.login(w.elu)
    page = client.get(f"/notes/{note.id}").get_data(as_text=True)
    panel = page[page.index('id="panel-delegate"'):]
    options = re.findall(r'<option value="[0-9a-f-]{36}">([^<]+)</option>', panel[:panel.index("</select>")])
    assert options[:4] == ["Agent Concerné — Enfance et famille", "Agent Délégataire — Enfance et famille",
                           "Agent du service — Enfance et famille", "Cheffe de service — Enfance et famille"]
    assert "Autre Élu" in options and "Élue Destinataire" not in options
    assert not any(o.startswith("Agent Extérieur") for o in options)  # another direction


def test_an_agents_notes_list_each_note_with_its_state_deadline_and_argument_escaped(client, make):
    """The rows of "Mes notes" are made in Python (``rendering.note_rows``), as the inbox's: every value
    escaped, the state in the author's words, the agreed deadline and its argument, a link to the note."""
    from datetime import timedelta

    from webapp.core.clock import utcnow

    w = world(make)
    sent = note_in(w, "sent")
    draft = service.create_note(w.author, title="<script>alert(1)</script> & co", body="Texte.",
                                proposed_deadline=utcnow() + timedelta(days=3))
    untitled = note_in(w, "draft")
    untitled.title = ""
    db.session.commit()
    client.login(w.author)
    page = client.get("/notes").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert f'<a href="/notes/{draft.id}">' in page and f'data-note-row="{sent.id}"' in page
    assert '<span class="tag status-sent">Envoyée à l’élu·e</span> Échéance ' in page
    assert '<span class="tag status-draft">Brouillon</span>' in page and "(sans titre)" in page
    assert "Le vote a lieu juste après." in page and "· Enfance et famille" in page
    assert page.count('class="note-row urgency-') == 3


def test_the_history_names_each_step_and_who_took_it_in_the_readers_language(client, make):
    w = world(make)
    note = note_in(w, "sent")
    client.login(w.author)
    history = client.get(f"/notes/{note.id}").get_data(as_text=True).split('<ol class="timeline">', 1)[1]
    history = history.split("</ol>", 1)[0]
    assert f"Note créée ({w.author.name})" in history and f"Délai convenu ({w.manager.name})" in history
    assert "Transmise à l’élu·e" in history
    w.author.language = "en"
    db.session.commit()
    history = client.get(f"/notes/{note.id}").get_data(as_text=True).split('<ol class="timeline">', 1)[1]
    assert f"Note created ({w.author.name})" in history and "Sent to the elected official" in history
