"""The phone shell in Chromium at 390×844, used with fingers and a keyboard: the bottom bar, the "Plus"
menu, the notifications page, the home pages, the people pickers; and axe on each."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.notes.helpers import note_in, world
from tests.support.browser import axe_violations, sign_in

pytestmark = pytest.mark.browser


def contrast(rgb_a: str, rgb_b: str) -> float:
    """WCAG contrast ratio of two CSS ``rgb(r, g, b)`` colours."""
    def luminance(rgb: str) -> float:
        channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_elu_finds_the_tabs_reads_notifications_and_marks_them_read(phone, make):
    w = world(make)
    note = note_in(w, "sent")
    page = phone()
    sign_in(page, w.elu, PASSWORD)
    bar = page.get_by_role("navigation", name="Navigation principale")
    top = page.locator(".topbar").bounding_box()
    assert top["height"] <= 56
    box = bar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(844, abs=1)  # at the bottom of the phone
    for name in ("Accueil", "Notes", "Excursions", "Notifications", "Plus"):
        size = bar.locator(".tab").filter(has=page.get_by_text(name, exact=True)).bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, name
    assert axe_violations(page) == []  # the home page with its bar

    bar.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    unread = page.locator(".notifications li.unread")
    expect(unread).to_have_count(1)
    expect(unread.get_by_role("link")).to_contain_text(note.title)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(page.get_by_text("Tout est lu.")).to_be_visible()
    expect(page.locator(".notifications li.unread")).to_have_count(0)
    expect(bar.locator(".badge")).to_have_count(0)
    assert axe_violations(page) == []

    bar.get_by_role("link", name="Notes").click()
    assert page.url.endswith("/notes/inbox")


def test_the_plus_menu_opens_with_a_tap_and_closes_with_escape_and_the_focus_ring_shows(phone, make):
    page = phone()
    sign_in(page, make.user("Admin Istrateur", admin=True), PASSWORD)
    page.get_by_text("Plus", exact=True).click()
    menu = page.get_by_role("link", name="Profil et appareils")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Administration")).to_be_visible()
    assert axe_violations(page) == []  # the open menu too
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    # Escape hands the focus back to "Plus", with a ring that stands out from the dark bar (3:1 at least).
    focused = page.locator("summary:focus-visible")
    expect(focused).to_have_count(1)
    ring = focused.evaluate("el => getComputedStyle(el).outlineColor")
    bar = page.locator(".tabbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert focused.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    assert contrast(ring, bar) >= 3 and contrast(ring, "rgb(245, 246, 248)") >= 3  # and from the page
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    page.locator("main").click()
    expect(menu).to_be_hidden()


def test_the_agents_home_offers_to_write_a_note_and_pickers_search_and_show_who_is_chosen(phone, make):
    w = world(make)
    for name in ("Hélène Martin", "Paul Roux", "Anne Petit", "Luc Blanc", "Rose Noir"):
        make.elu(name)
    page = phone()
    sign_in(page, w.author, PASSWORD)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Rédiger une note").click()
    addressees = page.get_by_role("group", name="Élu·e(s) destinataire(s)")
    expect(addressees.locator(".picker-chosen")).to_have_text("Personne n’est encore choisi·e.")
    addressees.get_by_label("Rechercher un nom").fill("helene")
    expect(addressees.get_by_label("Hélène Martin")).to_be_visible()
    expect(addressees.get_by_label("Paul Roux")).to_be_hidden()
    addressees.get_by_label("Hélène Martin").check()
    addressees.get_by_label("Rechercher un nom").fill("roux")
    addressees.get_by_label("Paul Roux").check()
    expect(addressees.get_by_label("Hélène Martin")).to_be_hidden()
    expect(addressees.locator(".picker-chosen")).to_have_text("2 choisi·e·s : Hélène Martin, Paul Roux")
    addressees.get_by_label("Rechercher un nom").fill("zzz")
    expect(addressees.get_by_text("Aucun nom ne correspond.")).to_be_visible()
    size = addressees.get_by_label("Rechercher un nom").bounding_box()
    assert size["height"] >= 44
