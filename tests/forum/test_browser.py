"""The forum at phone size, in Chromium, through clicks and typing: the assemblies service opens the new
mandate and imports its élus (a bad line refuses the file), an élu signs in from the invitation, takes a
portrait (a generated landscape PNG, cropped to a square on the phone), sets "lundi toute la journée",
declares an association board seat and a professional activity, asks a question on a stand; an agent of
the service answers and the élu reads the answer. axe on the profile, the stand and the progress page.
Then the profile opened once reads and takes a constraint with the server unreachable; it is sent later."""

import email
import email.policy
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.forum.helpers import png
from tests.support.browser import axe_violations, sign_in
from webapp.forum import service

pytestmark = pytest.mark.browser

BAD_CSV = "email;nom;groupe\nanne@forum.test;Anne Aubert;Majorité\nbruno@forum.test;Bruno Blanc;\n"


def _good_csv() -> str:
    lines = [f"elu{n:02d}@forum.test;Élu Numéro {n:02d};{'Majorité' if n % 3 else 'Opposition'}"
             for n in range(39)]
    return "email;nom;groupe\nines.martin@forum.test;Inès Martin;Majorité\n" + "\n".join(lines) + "\n"


def _invitation_link(app, address: str) -> str:
    for path in sorted((Path(app.instance_path) / "mail").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            return re.search(r"http://\S+/forum/invitation/\S+", message.get_content()).group(0)
    raise AssertionError(f"no invitation for {address}")


def _open_mandate_and_import(page, assemblies, tmp_path):
    sign_in(page, assemblies, PASSWORD)
    page.get_by_text("Plus").click()
    page.get_by_role("link", name="Forum").click()
    page.get_by_role("link", name="Mandats et élus").click()
    page.get_by_label("Nom du mandat").fill("2028-2034")
    page.get_by_label("Début").fill("2028-04-01")
    page.get_by_label("Fin").fill("2034-03-31")
    page.get_by_role("button", name="Ouvrir le mandat").click()
    expect(page.get_by_role("heading", name="Mandat 2028-2034")).to_be_visible()
    (tmp_path / "bad.csv").write_text(BAD_CSV)
    page.get_by_label("Fichier CSV").set_input_files(tmp_path / "bad.csv")
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("alert").get_by_text("Ligne 3 : un élu doit avoir un groupe politique")).to_be_visible()
    expect(page.get_by_text("Aucun élu pour l’instant.")).to_be_visible()
    (tmp_path / "good.csv").write_text(_good_csv())
    page.get_by_label("Fichier CSV").set_input_files(tmp_path / "good.csv")
    page.get_by_label("Créer les groupes inconnus").check()
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_text("40 élu(s) importé(s), 40 invitation(s) envoyée(s).")).to_be_visible()
    expect(page.get_by_role("heading", name="Élus du mandat (40)")).to_be_visible()


def _fill_profile(page, link, tmp_path):
    page.goto(link)
    page.get_by_label("Nouveau mot de passe").fill("mon-mot-de-passe-elu")
    page.get_by_label("Confirmez le mot de passe").fill("mon-mot-de-passe-elu")
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_role("heading", name="Inès Martin")).to_be_visible()
    (tmp_path / "photo.png").write_bytes(png(300, 200))  # landscape: the server takes squares only
    page.get_by_label("Prendre une photo ou choisir une image").set_input_files(tmp_path / "photo.png")
    page.locator("canvas.portrait-preview").wait_for(state="visible")
    page.get_by_role("button", name="Enregistrer le portrait").click()
    expect(page.get_by_text("Portrait enregistré.")).to_be_visible()
    expect(page.get_by_role("img", name="Portrait officiel de Inès Martin")).to_be_visible()
    page.get_by_label("J’accepte que mon portrait soit publié").check()
    page.get_by_role("button", name="Enregistrer mon choix").click()
    page.get_by_label("Courte présentation").fill("Infirmière, engagée dans la vie du quartier.")
    page.get_by_label("Thèmes qui vous tiennent à cœur").fill("santé, jeunesse")
    page.get_by_label("Comment préférez-vous être joint ?").fill("SMS le soir")
    page.get_by_role("button", name="Enregistrer la présentation").click()
    page.get_by_text("Ajouter une contrainte").click()
    page.get_by_label("Jour").select_option(label="Lundi")
    page.get_by_label("Quand").select_option(label="toute la journée")
    page.get_by_label("Motif").fill("activité professionnelle")
    page.get_by_role("button", name="Ajouter la contrainte").click()
    expect(page.get_by_text("Lundi toute la journée")).to_be_visible()
    for category, organisation, role in (
            ("Membre d’un organe dirigeant d’un organisme public ou privé", "Association Les Amis du Lac",
             "administratrice"),
            ("Activité professionnelle rémunérée (employeur)", "Centre hospitalier de la Vallée", "infirmière")):
        page.get_by_text("Déclarer une fonction").click()
        page.get_by_label("Catégorie").select_option(label=category)
        page.get_by_label("Organisme ou employeur").fill(organisation)
        page.get_by_label("Rôle ou fonction").fill(role)
        page.get_by_role("button", name="Déclarer", exact=True).click()
        expect(page.get_by_text(organisation, exact=True)).to_be_visible()
    assert axe_violations(page) == []


def test_the_forum_day_on_a_phone(app, make, phone, tmp_path):
    make.mandate()
    assemblies = make.assemblies()
    unit = make.unit("Routes et mobilités")
    agent = make.agent("Paul Routier", unit=unit)
    admin_page = phone()
    _open_mandate_and_import(admin_page, assemblies, tmp_path)

    elu_page = phone()
    _fill_profile(elu_page, _invitation_link(app, "ines.martin@forum.test"), tmp_path)
    elu_page.get_by_text("Plus").click()
    elu_page.get_by_role("link", name="Forum").click()
    elu_page.get_by_role("link", name="Routes et mobilités").click()
    elu_page.get_by_label("Votre question au service").fill("Quand la route du col sera-t-elle rouverte ?")
    elu_page.get_by_role("button", name="Poser la question").click()
    expect(elu_page.get_by_text("Question envoyée au service.")).to_be_visible()
    assert axe_violations(elu_page) == []

    agent_page = phone()
    sign_in(agent_page, agent, PASSWORD)
    agent_page.goto("/forum/")
    agent_page.get_by_role("link", name="Routes et mobilités").click()
    agent_page.get_by_label("Votre réponse").fill("Fin des travaux prévue le 15 mai.")
    agent_page.get_by_role("button", name="Répondre").click()
    expect(agent_page.get_by_text("Réponse publiée.")).to_be_visible()

    elu_page.reload()
    expect(elu_page.get_by_text("Fin des travaux prévue le 15 mai.")).to_be_visible()
    expect(elu_page.get_by_text("Réponse de Paul Routier")).to_be_visible()

    admin_page.goto("/forum/")
    admin_page.get_by_role("link", name="Avancement des profils").click()
    expect(admin_page.get_by_text("Profil complet : 1 / 40")).to_be_visible()
    expect(admin_page.get_by_text("Consentement : 1 / 40")).to_be_visible()
    assert axe_violations(admin_page) == []
    term = service.term_of(service.accounts.find_by_email("ines.martin@forum.test"))
    assert service.profile_of(term).portrait_type == "image/jpeg"  # the phone's square, not the landscape PNG


def test_the_profile_opens_and_takes_edits_with_the_server_unreachable(make, phone, live_server):
    from tests.forum.helpers import new_elu, new_mandate
    from tests.pwa.conftest import send_now, server_down, wait_controlled

    user, term = new_elu(make, new_mandate(make), "Élue Hors Ligne")
    page = phone()
    sign_in(page, user, PASSWORD)
    page.goto("/forum/profile")
    wait_controlled(page)
    with server_down(live_server):
        page.reload()
        expect(page.get_by_role("heading", name="Élue Hors Ligne")).to_be_visible()
        page.get_by_text("Ajouter une contrainte").click()
        page.get_by_label("Jour").select_option(label="Vendredi")
        page.get_by_label("Quand").select_option(label="l’après-midi")
        page.get_by_role("button", name="Ajouter la contrainte").click()
        expect(page.get_by_text("Enregistré sur l’appareil, envoi dès que possible.")).to_be_visible()
        assert service.unavailabilities(term) == []
    send_now(page)
    expect(page.get_by_text("Vendredi l’après-midi")).to_be_visible()
    assert [(u.weekday, u.period) for u in service.unavailabilities(term)] == [(4, "afternoon")]
