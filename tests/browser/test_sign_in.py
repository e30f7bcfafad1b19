"""Signing in at phone size, as an agent and as an élu, and accessibility of those pages."""

import pytest

from tests.conftest import PASSWORD
from tests.support.browser import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_agent_and_elu_sign_in_on_a_phone_and_see_their_home(phone, make):
    _boss, agent = make.manager_with_agent()
    elu = make.elu("Martine Élue", functions=[{"kind": "vice_president", "delegation": "Routes et mobilités"}])

    agent_page = phone()
    sign_in(agent_page, agent, PASSWORD)
    assert agent_page.get_by_role("heading", level=1).inner_text() == "Bonjour Agent"
    assert agent_page.get_by_role("link", name="Rédiger une note").is_visible()

    elu_page = phone()
    sign_in(elu_page, elu, PASSWORD)
    assert elu_page.get_by_role("heading", level=1).inner_text() == "Bonjour Martine"
    who = elu_page.locator(".who").inner_text()
    assert "Élu·e à responsabilités du groupe Majorité" in who and "Vice-président·e : Routes et mobilités" in who
    # Nothing wider than the phone: no horizontal scrolling.
    width = elu_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_wrong_password_keeps_the_person_on_the_login_page(phone, make):
    agent = make.agent()
    page = phone()
    page.goto("/login")
    page.get_by_label("Adresse e-mail professionnelle").fill(agent.email)
    page.get_by_label("Mot de passe", exact=True).fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_role("alert").inner_text() == "Adresse e-mail ou mot de passe incorrect."
    assert page.get_by_label("Adresse e-mail professionnelle").input_value() == agent.email


def test_login_and_home_pages_have_no_axe_violation(phone, make):
    elu = make.elu(functions=[{"kind": "president"}])
    page = phone()
    page.goto("/login")
    assert axe_violations(page) == []
    sign_in(page, elu, PASSWORD)
    assert axe_violations(page) == []
