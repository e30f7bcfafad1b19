"""The anti-manuel at phone size, in Chromium, through clicks and typing: the head of the roads service
opens its anti-manuel, writes three situation types and proposes version 1; the VP finds it on her home
page, approves it, then the head approves: the rules are in force and the VP's home shows them, one line
per situation type. axe on the anti-manuel page."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.cooperation.helpers import pair
from tests.support.browser import axe_violations, sign_in

pytestmark = pytest.mark.browser


def _add_type(page, label: str) -> None:
    page.get_by_label("Ajouter un type de situation").select_option(label=label)
    page.get_by_role("button", name="Ajouter ce type").click()
    expect(page.get_by_role("heading", name=f"Règle · {label}")).to_be_visible()


def test_a_service_and_its_vp_agree_an_anti_manuel_with_three_situation_types(make, phone):
    p = pair(make)
    head = phone()
    sign_in(head, p.head, PASSWORD)
    head.goto("/cooperation")
    head.get_by_role("button", name="Ouvrir l’anti-manuel").click()
    expect(head.get_by_role("heading", name="Anti-manuel · Voirie")).to_be_visible()

    _add_type(head, "Information")
    head.get_by_label("Délai de réponse par défaut (jours)").fill("7")
    head.get_by_label("Argument du délai, proposé sur les notes de ce type").fill("Pour information, sans urgence.")
    head.get_by_role("button", name="Enregistrer la règle").click()
    expect(head.get_by_text("Règle enregistrée.")).to_be_visible()

    _add_type(head, "Décision urgente")
    head.get_by_label("Modalité", exact=True).select_option(label="Astreinte")
    head.get_by_label("Délai de réponse par défaut (jours)").fill("1")
    head.get_by_label("Urgent : notifier même pendant les heures calmes").check()
    head.get_by_role("button", name="Enregistrer la règle").click()

    _add_type(head, "Sollicitation presse")
    head.get_by_label("Modalité", exact=True).select_option(label="Appel")
    head.get_by_label("Délai de réponse par défaut (jours)").fill("0")
    head.get_by_label("À partir de (heure)").fill("21")
    head.get_by_label("Jusqu’à (heure)").fill("7")
    head.get_by_label("Urgent : notifier même pendant les heures calmes").uncheck()
    head.get_by_role("button", name="Enregistrer la règle").click()

    draft = head.locator("#draft-rules > li")
    expect(draft).to_have_count(3)
    expect(draft.nth(2)).to_contain_text("calme de 21 h à 7 h")
    head.get_by_label("Ce qui change (facultatif)").fill("Première version, écrite en réunion de service.")
    head.get_by_role("button", name="Proposer cette version").click()
    expect(head.get_by_role("button", name="J’approuve la version 1")).to_be_visible()
    assert axe_violations(head) == []

    vp = phone()
    sign_in(vp, p.elu, PASSWORD)
    vp.get_by_role("link", name="Version 1 de l’anti-manuel · Voirie").click()
    expect(vp.locator("#draft-rules > li")).to_have_count(3)
    vp.get_by_role("button", name="J’approuve la version 1").click()
    expect(vp.locator("#agreements")).to_contain_text(f"{p.elu.name} (élu·e référent·e) : a approuvé")

    head.reload()
    head.get_by_role("button", name="J’approuve la version 1").click()
    expect(head.get_by_text("Version 1 en vigueur.")).to_be_visible()
    expect(head.locator("#rules-in-force > li")).to_have_count(3)

    vp.goto("/")
    section = vp.locator("section", has=vp.get_by_role("heading", name="Règles avec Voirie"))
    expect(section).to_contain_text("Information")
    expect(section).to_contain_text("Décision urgente")
    expect(section).to_contain_text("Sollicitation presse")
