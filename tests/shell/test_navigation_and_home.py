"""The app's shell as each person meets it: tabs that open their page directly, a home page in plain
words, notifications that say which note or visit they are about, the capture shortcut."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.excursions.conftest import Team
from tests.notes.helpers import note_in, world
from webapp.core.clock import utcnow
from webapp.excursions import service as excursions_service
from webapp.extensions import db
from webapp.push import service as push_service


def tabs(html: str) -> dict[str, str]:
    """The bottom bar's tabs: label → link."""
    bar = html.split('class="tabbar"', 1)[1].split('<details class="more">', 1)[0]
    return {label: href for href, label in re.findall(r'<a class="tab" href="([^"]+)"[^>]*>.*?'
                                                      r'<span class="tab-label">([^<]+)</span>', bar, re.S)}


def test_every_tab_and_menu_link_opens_its_page_without_a_redirect(client, make):
    w = world(make)
    people = [w.elu, w.author, w.manager, make.cabinet(), make.assemblies(), make.user(admin=True)]
    for person in people:
        client.login(person)
        html = client.get("/").get_data(as_text=True)
        links = re.findall(r'href="(/[^"#]*)"', html.split('class="tabbar"', 1)[1].split("</nav>", 1)[0])
        assert links, person.name
        for link in links:
            assert client.get(link).status_code == 200, (person.name, link)


def test_the_bar_has_the_five_tabs_of_a_phone_and_notes_open_the_elus_inbox(client, make):
    w = world(make)
    client.login(w.elu)
    bar = tabs(client.get("/").get_data(as_text=True))
    assert list(bar) == ["Accueil", "Notes", "Excursions", "Notifications"]  # then "Plus"
    assert bar["Notes"] == "/notes/inbox"
    client.login(w.author)
    assert tabs(client.get("/").get_data(as_text=True))["Notes"] == "/notes"


def test_the_home_page_says_who_one_is_in_plain_words(client, make):
    w = world(make)
    client.login(w.elu)
    html = client.get("/").get_data(as_text=True)
    assert "Élu·e à responsabilités du groupe Majorité" in html and "Vice-président·e : Enfance" in html
    for code in ("responsibilities", "vice_president", ">élu<", ">agent<", "encadrant<"):
        assert code not in html
    assert "Rédiger une note" not in html
    client.login(w.manager)
    html = client.get("/").get_data(as_text=True)
    assert "Vous encadrez une équipe" in html
    assert re.search(r'<a class="button primary" href="/notes/new">Rédiger une note</a>', html)


def test_notifications_name_their_note_and_unread_ones_stand_out_until_all_are_marked_read(client, make):
    w = world(make)
    note = note_in(w, "sent")
    client.login(w.elu)
    html = client.get("/notifications").get_data(as_text=True)
    item = html.split('<li class="unread">', 1)[1].split("</li>", 1)[0]
    assert "Nouvelle note à traiter" in item and f'<span class="subject">{note.title}</span>' in item
    assert "Nouveau" in item and "1 non lue" in html
    client.post("/notifications/read")
    html = client.get("/notifications").get_data(as_text=True)
    assert 'class="unread"' not in html and "Tout est lu." in html and "Tout marquer comme lu" not in html
    assert note.title in html  # still named once read


def test_a_notification_does_not_name_a_note_its_reader_may_no_longer_see(client, make):
    w = world(make)
    note = note_in(w, "sent")
    push_service.notify([w.unrelated], kind="note.received", title="Nouvelle note à traiter", url=f"/notes/{note.id}")
    db.session.commit()
    client.login(w.unrelated)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Nouvelle note à traiter" in html and note.title not in html


def test_a_notification_names_a_visit_exactly_for_those_who_may_open_it(client, make):
    from webapp.excursions import policy as excursions_policy

    team = Team(make)
    outsider, cabinet = make.agent("Agent d’ailleurs"), make.cabinet()
    people = {"élu taking part": team.elu, "organiser's manager": team.manager, "organiser": team.agent,
              "other agent": outsider, "cabinet": cabinet}
    url = f"/excursions/{team.excursion.id}"
    push_service.notify(list(people.values()), kind="excursion.changed", title="Visite modifiée", url=url)
    db.session.commit()
    named = {}
    for who, person in people.items():
        client.login(person)
        html = client.get("/notifications").get_data(as_text=True)
        assert "Visite modifiée" in html, who
        named[who] = '<span class="subject">Accueil du public</span>' in html
        assert named[who] == excursions_policy.can_view(person, team.excursion), who
    assert named == {"élu taking part": True, "organiser's manager": True, "organiser": True,
                     "other agent": False, "cabinet": False}


def test_opening_the_page_of_a_notification_reads_it_but_fetching_it_ahead_of_time_does_not(client, make):
    w = world(make)
    note = note_in(w, "sent")
    client.login(w.elu)
    client.get(f"/notes/{note.id}", headers={"Sec-Fetch-Mode": "cors"})  # the service worker keeping it
    assert push_service.unread_count(w.elu) == 1
    client.get(f"/notes/{note.id}", headers={"Sec-Fetch-Mode": "navigate"})
    assert push_service.unread_count(w.elu) == 0


def test_the_capture_shortcut_opens_the_capture_of_the_next_visit_or_offers_the_choice(client, make):
    team = Team(make)
    client.login(team.elu)
    html = client.get("/excursions/capture").get_data(as_text=True)
    assert f'data-excursion="{team.excursion.id}"' in html
    later = excursions_service.create_excursion(
        team.agent, title="Deuxième visite", elu_ids=[team.elu.id], starts_at=utcnow() + timedelta(days=9),
        duration_minutes=60, places=[], people=[], questions=[], checklist=[])
    db.session.commit()
    html = client.get("/excursions/capture").get_data(as_text=True)
    assert "Pour quelle excursion pratique ?" in html
    assert f"/excursions/{later.id}/capture" in html and f"/excursions/{team.excursion.id}/capture" in html
    client.login(make.elu("Sans visite"))
    assert "Aucune excursion pratique à venir" in client.get("/excursions/capture").get_data(as_text=True)


def test_the_manifest_shows_real_screenshots_of_the_declared_sizes(client):
    from tests.pwa.test_shell import png_size

    shots = client.get("/manifest.webmanifest").get_json()["screenshots"]
    assert {s["form_factor"] for s in shots} == {"narrow", "wide"}
    for shot in shots:
        response = client.get(shot["src"])
        assert response.status_code == 200 and shot["label"]
        assert "x".join(map(str, png_size(response.data))) == shot["sizes"]
        response.close()


def test_the_navigation_marks_the_page_open_counts_unread_and_speaks_the_persons_language(client, make):
    """The navigation is made once per set of links and reused: what changes from page to page, from one
    moment to the next or from one person to another still shows."""
    w = world(make)
    client.login(w.elu)

    def current(html: str) -> list[str]:
        nav = html.split('class="tabbar"', 1)[1].split("</nav>", 1)[0]
        return re.findall(r'aria-current="page"[^>]*>(?:<svg.*?</svg>)?(?:<span class="tab-label">)?([^<]+)', nav, re.S)

    assert current(client.get("/").get_data(as_text=True)) == ["Accueil"]
    inbox = client.get("/notes/inbox").get_data(as_text=True)
    assert current(inbox) == ["Notes"] and 'class="badge"' not in inbox.split("</nav>", 1)[0]
    assert current(client.get("/profile").get_data(as_text=True)) == ["Profil et appareils"]
    note_in(w, "sent")  # a notification for the élu
    badge = client.get("/notes/inbox").get_data(as_text=True).split("</nav>", 1)[0]
    assert '<span class="badge">1<span class="visually-hidden"> non lues</span>' in badge
    assert "Administration" not in badge
    w.elu.language = "en"
    db.session.commit()
    english = client.get("/notes/inbox").get_data(as_text=True).split("</nav>", 1)[0]
    assert "Home" in english and "Accueil" not in english and "unread" in english
    admin = make.user(admin=True)
    client.login(admin)
    page = client.get("/admin/people").get_data(as_text=True)
    assert current(page) == ["Administration"]
