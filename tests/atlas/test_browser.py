"""The whole story at phone size, in Chromium: a service fills an aperçu with its own template, two
commission members comment, an agent records a problem, the commission ranks and picks 3 + 3, a group
records its own selection, the assemblies import the budget of two mandates and publish, and an
anonymous visitor opens the atlas and downloads the PDF."""

import subprocess
from pathlib import Path

import pytest

from tests.atlas.helpers import themes_and_codes, two_mandates
from tests.commissions.helpers import apercu, world
from tests.conftest import PASSWORD
from tests.support.browser import axe_violations, sign_in
from webapp.atlas import service as atlas_service
from webapp.extensions import db

pytestmark = pytest.mark.browser

SAMPLE = Path(atlas_service.__file__).parent.with_name("sample_budget.csv")


def _people(make):
    two_mandates(make)
    w = world(make)
    themes_and_codes()
    boss = w.author.manager
    apercu(w, "Maintien à domicile des personnes âgées")
    apercu(w, "Parcours emploi des allocataires du RSA")
    db.session.commit()
    return w, boss


def _service_template(page, boss):
    sign_in(page, boss, PASSWORD)
    page.goto("/commissions")
    page.get_by_role("link", name="Modèle d’aperçu du service").click()
    page.get_by_label("Champs supplémentaires").fill("Partenaires financeurs | organismes et montants")
    page.get_by_role("button", name="Enregistrer le modèle").click()
    assert page.get_by_text("Modèle enregistré.").is_visible()


def _fill_apercu(page, w):
    sign_in(page, w.author, PASSWORD)
    page.goto("/commissions")
    page.get_by_role("link", name="Nouvel aperçu").click()
    assert axe_violations(page) == []
    page.get_by_label("Nom du projet ou de la politique").fill("Accueil familial renforcé")
    page.get_by_label("Commission thématique").select_option(label="Solidarités et santé")
    page.get_by_label("Problématique de départ").fill("Trop d’enfants attendaient une place adaptée.")
    page.get_by_label("Public cible").fill("Enfants confiés et familles d’accueil")
    page.get_by_label("Nom 1", exact=True).fill("Karim Girard")
    page.get_by_label("Contact 1", exact=True).fill("karim.girard@exemple.fr")
    page.get_by_label("Intitulé 1", exact=True).fill("Assistants familiaux recrutés")
    page.get_by_label("Valeur 1", exact=True).fill("62")
    page.get_by_label("Unité 1", exact=True).fill("personnes")
    page.get_by_label("Date 1", exact=True).fill("31/12/2025")
    page.get_by_label("Résultats attendus").fill("Une place près du collège pour chaque enfant.")
    page.get_by_label("Partenaires financeurs").fill("CAF : 120 000 €")
    page.get_by_role("button", name="Enregistrer et soumettre à la commission").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Accueil familial renforcé"
    assert page.get_by_text("Soumis à la commission", exact=True).is_visible()
    assert page.get_by_text("CAF : 120 000 €").is_visible()
    return page.url


def _write(page, user, url, space_button, kind, text):
    sign_in(page, user, PASSWORD)
    page.goto(url)
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Votre contribution").fill(text)
    page.get_by_role("button", name=space_button).click()
    assert page.locator(".comment .prose", has_text=text).is_visible()


def _bilan(phone, w):
    page = phone()
    sign_in(page, w.president, PASSWORD)
    page.goto(f"/commissions/{w.commission.id}/bilan")
    page.get_by_label("Niveaux, du meilleur au moins bon, un par ligne").fill("Réussite marquante\nRéussi\nÀ reprendre")
    page.get_by_role("button", name="Enregistrer l’échelle").click()
    titles = ["Accueil familial renforcé", "Maintien à domicile des personnes âgées",
              "Parcours emploi des allocataires du RSA"]
    for title, level in zip(titles, ["Réussite marquante", "Réussi", "Réussi"], strict=True):
        page.get_by_role("combobox", name=title).select_option(label=level)
    page.get_by_role("button", name="Enregistrer le classement").click()
    own = page.get_by_role("region", name="Sélection de la commission")
    for title in titles:
        own.get_by_role("checkbox", name=title).check()
    for index, challenge in enumerate(["Recruter des travailleurs sociaux", "Vieillissement", "Santé mentale"]):
        own.get_by_label(f"Défi {index + 1}").fill(challenge)
    own.get_by_role("button", name="Enregistrer la sélection de la commission").click()
    assert page.get_by_text("Enregistré.").is_visible()

    group_page = phone()
    sign_in(group_page, w.opposition, PASSWORD)
    group_page.goto(f"/commissions/{w.commission.id}/bilan")
    groups = group_page.get_by_role("region", name="Sélections des groupes politiques")
    for title in titles[1:] + titles[:1]:
        groups.get_by_role("checkbox", name=title).check()
    for index, challenge in enumerate(["Accès aux soins", "Tarifs des cantines", "Services de proximité"]):
        groups.get_by_label(f"Défi {index + 1}").fill(challenge)
    groups.get_by_role("button", name="Enregistrer la sélection du groupe").click()
    assert group_page.get_by_text("Accès aux soins").is_visible()

    page.reload()
    page.get_by_role("button", name="Adopter le bilan").click()
    assert page.get_by_text("il ne peut plus être modifié").first.is_visible()
    assert page.get_by_role("button", name="Enregistrer le classement").count() == 0
    assert axe_violations(page) == []


def _assemblies_publish(page, w):
    sign_in(page, w.assemblies, PASSWORD)
    page.goto("/atlas/gestion")
    page.get_by_label("Fichier CSV").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Importer").click()
    assert page.get_by_text(f"{len(SAMPLE.read_text().splitlines()) - 1} lignes de budget importées.").is_visible()
    shares = page.get_by_role("region", name="Part de chaque thème dans le budget, mandat 2021-2028")
    assert shares.get_by_role("row", name="Solidarités").inner_text().endswith("54,5 %")
    page.get_by_role("button", name="Créer les affiches manquantes (une par thème)").click()
    page.get_by_role("region", name="Affiches du mandat 2021-2028").get_by_role("link", name="Solidarités").click()
    page.get_by_label("Compétences et obligations de la collectivité sur le thème").fill(
        "Protection de l’enfance, autonomie, insertion.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    preview = page.get_by_role("region", name="Aperçu de l’affiche")
    assert "Accueil familial renforcé" in preview.inner_text() and "Accès aux soins" in preview.inner_text()
    page.get_by_role("button", name="Publier l’affiche").click()
    assert page.get_by_text("Affiche publiée.").is_visible()
    page.goto("/atlas/gestion")
    page.get_by_role("button", name="Fabriquer le PDF des affiches publiées").click()
    assert page.get_by_text("PDF prêt (1 affiche).").is_visible()
    assert axe_violations(page) == []


def _visitor(page, tmp_path, w):
    page.goto("/atlas")
    assert page.get_by_role("heading", level=1).inner_text() == "Atlas de mandature 2021-2028"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Solidarités").click()
    assert page.url.endswith("/atlas/solidarites")
    body = page.locator("main").inner_text()
    for text in ("Accueil familial renforcé", "Recruter des travailleurs sociaux", w.president.name,
                 w.opposition.name, "54,5 %", "Sélection du groupe Opposition unie"):
        assert text in body, text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    page.get_by_role("link", name="Tous les thèmes").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l’atlas en PDF (affiches A3)").click()
    path = tmp_path / "atlas.pdf"
    download.value.save_as(path)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Solidarités" in text and "Accueil familial renforcé" in text and w.member.name in text


def test_from_apercu_to_public_atlas_at_phone_size(phone, make, tmp_path):
    w, boss = _people(make)
    _service_template(phone(), boss)
    url = _fill_apercu(phone(), w)
    _write(phone(), w.member, url, "Publier dans l’espace des élus", "Commentaire", "Projet utile, à étendre.")
    opposition = phone()
    _write(opposition, w.opposition, url, "Publier dans l’espace des élus", "Avis", "Coût par enfant à suivre.")
    assert opposition.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(opposition) == []
    _write(phone(), w.colleague, url, "Publier dans l’espace des agents", "Problème rencontré",
           "Pénurie d’assistants familiaux dans le nord du département.")
    _bilan(phone, w)
    _assemblies_publish(phone(), w)
    _visitor(phone(), tmp_path, w)
