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
