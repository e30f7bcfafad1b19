"""The home page's sections that most people do not have (a profile to complete for the forum, a shift
swap to answer, an anti-manuel) are known from the facts statement read on every page: nobody pays a
statement per empty domain, and those who have one still see it."""

from __future__ import annotations

import re
from datetime import date

from tests.cooperation.helpers import kind, pair
from tests.notes.test_queries import counted
from webapp.cooperation import service as cooperation
from webapp.extensions import db

DOMAIN_TABLES = re.compile(r"\b(FROM|JOIN) (oncall_swap|coop_charter|coop_charter_elu|elu)\b")


def _home_statements(app, client, user) -> list[str]:
    client.login(user)
    client.get("/")  # the first visit may write (a device's session); the count is for the next
    with counted(app) as statements:
        assert client.get("/").status_code == 200
    return statements


def test_an_agent_with_nothing_pending_costs_no_statement_per_empty_domain(app, client, make):
    agent = make.agent()
    make.elu()  # a mandate exists, with a seat that is not the agent's
    statements = _home_statements(app, client, agent)
    facts = [s for s in statements if '"forum.seated"' in s]
    assert len(facts) == 1 and '"oncall.swaps_asked"' in facts[0] and '"cooperation.has_charter"' in facts[0]
    assert [s.split("\n")[0][:80] for s in statements if s not in facts and DOMAIN_TABLES.search(s)] == []


def test_a_seat_in_the_newest_mandate_asks_for_the_profile(client, make):
    elu, agent = make.elu("Inès Nouvelle"), make.agent()
    client.login(elu)
    assert "Compléter mon profil d’élu" in client.get("/").get_data(as_text=True)
    client.login(agent)
    assert "Compléter mon profil d’élu" not in client.get("/").get_data(as_text=True)
    # Once a newer assembly is elected, the forum welcomes its élus, not those of the last one.
    make.mandate("2028-2034", starts=date(2028, 4, 1), ends=date(2034, 3, 31))
    client.login(elu)
    assert "Compléter mon profil d’élu" not in client.get("/").get_data(as_text=True)


def test_an_anti_manuel_waiting_for_the_elu_shows_and_the_outsider_sees_none(client, make):
    p = pair(make)
    charter = cooperation.open_charter(p.head, p.unit)
    version = cooperation.open_version(charter)
    cooperation.set_rule(p.head, version, kind("information").id, deadline_days=7)
    cooperation.propose(p.head, version)
    db.session.commit()
    client.login(p.elu)
    assert "Anti-manuel à approuver" in client.get("/").get_data(as_text=True)
    client.login(p.outsider)
    home = client.get("/").get_data(as_text=True)
    assert "Anti-manuel à approuver" not in home and "Règles avec" not in home
