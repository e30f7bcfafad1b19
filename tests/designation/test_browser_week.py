"""The whole installation week on a département of 40 élus in 3 groups, 12 bodies and 60 posts, at phone
size: the week's worker publishes the organisation; 10 élus wish in Chromium, each on their own phone (sign
in, pick posts, justify each, rank them; one gets an agenda alert, one a conflict alert, one hits the
representation cap as VP and sees the gauge and the simulation change); the coordination asks the solver,
adjusts by hand and publishes; the assemblies service records the vote;
notes on roads then go to the newly designated VP."""

from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.forum.helpers import new_elu
from tests.support.browser import sign_in
from webapp.core.clock import utcnow
from webapp.designation import calendar, steps
from webapp.extensions import db
from webapp.forum import service as forum
from webapp.notes import service as notes
from webapp.organisation import service as organisation

pytestmark = pytest.mark.browser

EXTERNAL = ("Foyer rural des Crêtes", "SEM Énergies", "Collège Jean Moulin", "Lycée Pasteur", "CCAS de Valcreuse",
            "Musée de la Vallée")
THEMES = ("Routes", "Collèges", "Solidarités", "Culture", "Environnement")


def _organisation(make, mandate, clerk, roads):
    """12 bodies of 5 posts each: the commission permanente, 5 thematic commissions, 6 external bodies."""
    cp = organisation.add_body(clerk, mandate, {"kind": "permanent_commission", "name": "Commission permanente"})
    posts = {"vp": organisation.add_post(clerk, cp, {"role": "vice_president", "function_type": "decision",
                                                     "hours_per_month": 30, "unit_ids": [roads.id]})}
    for role, seats in (("president", 1), ("member", 20), ("titulaire", 2), ("suppleant", 2)):
        organisation.add_post(clerk, cp, {"role": role, "seats": seats, "function_type": "decision",
                                          "hours_per_month": 6})
    for n, theme in enumerate(THEMES):
        body = organisation.add_body(clerk, mandate, {"kind": "thematic_commission", "name": f"Commission {theme}",
                                                      "theme": theme})
        posts[theme] = organisation.add_post(clerk, body, {
            "role": "member", "seats": 8, "function_type": "concertation", "hours_per_month": 4, "weekday": 1,
            "nth_week": n + 1 if n < 4 else None, "starts_at": time(14), "ends_at": time(17)})
        for role in ("commission_president", "titulaire", "suppleant", "representative"):
            organisation.add_post(clerk, body, {"role": role, "function_type": "concertation",
                                                "hours_per_month": 3})
    for name in EXTERNAL:
        body = organisation.add_body(clerk, mandate, {"kind": "external_body", "name": name,
                                                      "conflict_categories": "shareholding" if "SEM" in name else ""})
        posts[name] = organisation.add_post(clerk, body, {"role": "titulaire", "function_type": "representation",
                                                          "hours_per_month": 2})
        for role in ("suppleant", "representative", "member", "president"):
            organisation.add_post(clerk, body, {"role": role, "function_type": "representation",
                                                "hours_per_month": 2})
    assert len(organisation.all_posts(mandate)) == 60
    return posts


def _week(make):
    mandate = make.mandate()  # the current mandate: the one notes route by
    roads = make.unit("Service des routes")
    clerk = make.assemblies()
    _organisation(make, mandate, clerk, roads)
    groups = ["Majorité"] * 24 + ["Opposition"] * 12 + ["Indépendants"] * 4
    terms = [new_elu(make, mandate, f"Élu {n:02d}", group) for n, group in enumerate(groups)]
    named = {"agenda": "Inès Martin", "conflict": "Bruno Foyer", "vp": "Valérie Routes", "coordinator": "Chloé Cercle"}
    for (user, _term), name in zip(terms[:4], named.values(), strict=True):
        user.name = name
    people = dict(zip(named, terms[:4], strict=True))
    organisation.grant_coordination(clerk, mandate, people["coordinator"][0])
    agenda_user, agenda_term = people["agenda"]
    forum.add_unavailability(agenda_user, agenda_term, {"weekday": 1, "period": "afternoon",
                                                        "reason": "activité professionnelle"})
    conflict_user, conflict_term = people["conflict"]
    forum.add_interest(conflict_user, conflict_term, {"category": "association", "role": "trésorier",
                                                      "organisation": "Foyer rural des Crêtes"})
    # The week around now: the worker publishes the organisation at its time.
    row = calendar.set_election(clerk, mandate, date(2028, 3, 26))
    now = utcnow()
    row.forum_at, row.organisation_at = now - timedelta(hours=2), now - timedelta(hours=1)
    row.wishes_close_at, row.proposal_at, row.plenary_at = (now + timedelta(hours=h) for h in (20, 21, 22))
    db.session.commit()
    assert steps.run_due() == 2 and organisation.is_published(mandate)
    db.session.commit()
    return people, clerk, roads, [user for user, _term in terms[4:11]]


def _wish(page, body: str, why: str, index: int = 0):
    """Open the body, justify its ``index``-th post still open to wishes, add it; wait for the new list."""
    count = page.locator("#my-wishes li[id^=wish-]").count()
    page.locator("summary", has_text=body).click()
    details = page.locator("details", has=page.locator("summary", has_text=body))
    details.get_by_label("Pourquoi ce poste ? (obligatoire)").nth(index).fill(why)
    details.get_by_role("button", name="Ajouter à mes vœux").nth(index).click()
    expect(page.locator("#my-wishes li[id^=wish-]")).to_have_count(count + 1)


def _on_phone(phone, user):
    """The élu's own phone (one browser context), signed in, on the wishes page."""
    page = phone()
    sign_in(page, user, PASSWORD)
    page.goto("/designation/wishes")
    return page


def _wishes(phone, user, choices, first: str | None = None):
    """An élu signs in, picks ``choices`` ((body, role, justification), in that order) and, if asked,
    moves the ``first`` one (their second pick) up to the top of their ranking."""
    page = _on_phone(phone, user)
    for body, _role, why in choices:
        _wish(page, body, why)
    if first is not None:
        role = next(role for body, role, _why in choices if body == first)
        page.get_by_role("button", name=f"Monter : {first} — {role}").click()
        expect(page.locator("#my-wishes li[id^=wish-]").first).to_contain_text(f"{first} — {role}")
    return page


def test_the_whole_week_on_forty_elus_at_phone_size(make, phone):
    people, clerk, roads, others = _week(make)
    # Seven élus each wish a commission and an external body, then put the external body first.
    for n, user in enumerate(others):
        theme, external = f"Commission {THEMES[n % 5]}", EXTERNAL[n % 6]
        page = _wishes(phone, user, [(theme, "Membre", "Mon canton."),
                                     (external, "Titulaire", "Je connais cet organisme.")], first=external)
        expect(page.locator("#my-wishes li[id^=wish-]").first).to_contain_text(external)
        expect(page.locator("#my-wishes li[id^=wish-]").nth(1)).to_contain_text(theme)

    elu = _wishes(phone, people["agenda"][0], [("Commission Routes", "Membre", "Routes d’hiver de mon canton.")])
    expect(elu.locator("#my-wishes").get_by_text("Alerte agenda")).to_be_visible()

    elu = _wishes(phone, people["conflict"][0], [("Foyer rural des Crêtes", "Titulaire", "Je connais les bénévoles.")])
    expect(elu.locator("#my-wishes").get_by_text("Alerte conflit d’intérêts")).to_be_visible()

    elu = _on_phone(phone, people["vp"][0])
    before = elu.locator("#simulation-amount").inner_text()
    _wish(elu, "Commission permanente", "Trente ans de routes départementales.")
    expect(elu.locator("#gauge-used")).to_have_text("30 h par mois sur 40 h disponibles")
    expect(elu.locator("#simulation-amount")).not_to_have_text(before)
    for body in ("Collège Jean Moulin", "Lycée Pasteur", "Musée de la Vallée"):
        _wish(elu, body, "Représenter le département.")
    expect(elu.locator("#cap-state")).to_contain_text(
        "3 postes de représentation sur 2 permis au niveau vice-président")
    expect(elu.get_by_text("Plafond dépassé : la coordination devra arbitrer.")).to_be_visible()
    expect(elu.locator("#gauge-used")).to_have_text("36 h par mois sur 40 h disponibles")

    coordination = phone()
    sign_in(coordination, people["coordinator"][0], PASSWORD)
    coordination.goto("/designation/arbitration")
    coordination.get_by_role("button", name="Proposer une répartition").first.click()
    expect(coordination.get_by_text("Répartition proposée")).to_be_visible()
    expect(coordination.get_by_text("Écarté : le poste se réunit sur une indisponibilité déclarée.")).to_be_visible()
    coordination.get_by_role("button", name="Attribuer : Inès Martin, Commission Routes — Membre").click()
    expect(coordination.get_by_text("Inès Martin : poste attribué.")).to_be_visible()
    coordination.get_by_role("button", name="Publier la proposition finale").click()
    expect(coordination.get_by_text("Proposition finale publiée : chaque élu est prévenu.")).to_be_visible()

    elu.goto("/designation/mine")
    expect(elu.get_by_role("region", name="Postes", exact=True).get_by_text("Commission permanente — Vice-président")
           ).to_be_visible()

    assemblies = phone()
    sign_in(assemblies, clerk, PASSWORD)
    assemblies.goto("/designation/plenary")
    assemblies.get_by_label("Pour", exact=True).fill("30")
    assemblies.get_by_label("Contre", exact=True).fill("8")
    assemblies.get_by_label("Abstentions").fill("2")
    assemblies.get_by_role("button", name="Enregistrer le vote").click()
    expect(assemblies.get_by_text("Vote enregistré : l’organisation prend effet.")).to_be_visible()

    db.session.expire_all()
    assert notes.suggested_addressees(make.agent(unit=roads)) == [people["vp"][0]]
