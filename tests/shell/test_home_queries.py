"""The home page, the first one everybody opens, asks each question of the database once: counted on
the engine for every account of the demo (élus, agents, managers, the coordination, the assemblies)."""

from __future__ import annotations

import re
from collections import Counter
from types import SimpleNamespace

from tests.notes.test_queries import counted

PASSWORD = "accueil-compte-2026"
HOME_BUDGET = 30  # one statement per to-do section at most, plus the session, roles and navigation


def test_no_demo_accounts_home_page_asks_the_same_question_twice(app, client):
    result = app.test_cli_runner().invoke(args=["demo", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    emails = sorted(set(re.findall(r"(\S+@vallee-haute\.fr)", result.stdout)))
    assert len(emails) >= 7
    for email in emails:
        client.login(SimpleNamespace(email=email), PASSWORD)
        client.get("/")  # the first visit may write; the count is for every visit after
        with counted(app) as statements:
            assert client.get("/").status_code == 200
        repeated = {statement.split("\n")[0][:120]: n for statement, n in Counter(statements).items() if n > 1}
        assert repeated == {}, email  # one question per poster, excursion or rule: a loop that queries
        assert len(statements) <= HOME_BUDGET, (email, len(statements))
