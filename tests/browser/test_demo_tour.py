"""The demo's guided tour: each account ``flask demo`` prints signs in with the printed password, finds on
its home page what its printed line says to try, and follows the path the line names."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


def printed_tour(output: str) -> tuple[str, list[tuple[str, str]]]:
    """The password and the (e-mail, what to try) pairs, read from the demo's output as a visitor reads it."""
    password = re.search(r"mot de passe commun : (\S+)\)", output).group(1)
    accounts = re.findall(r"^ {2}\S.*?(\S+@vallee-haute\.fr).*\n {6}à essayer : (.+)$", output, flags=re.M)
    return password, accounts


def test_every_printed_account_finds_on_its_home_page_what_its_line_says_to_try(app, phone):
    result = app.test_cli_runner().invoke(args=["demo", "--password", "visite-guidee-2026"])
    assert result.exit_code == 0, result.output
    password, accounts = printed_tour(result.stdout)
    assert password == "visite-guidee-2026" and len(accounts) == 7
    for email, hint in accounts:
        things = re.findall(r"«\u00a0?(.+?)\u00a0?»", hint.replace("« ", "«").replace(" »", "»"))
        assert things, hint  # every line points at something named on the page
        page = phone()
        sign_in(page, SimpleNamespace(email=email), password)
        main = page.locator("main")
        for thing in things:
            expect(main, f"{email}: {hint}").to_contain_text(thing)
        path = re.search(r"((?:[^,;:»]+ › )+[^:;,]+?) :", hint)
        if path:  # "A › B › C": the links to follow from the home page, the last one opens the place to act
            steps = [step.strip() for step in path.group(1).split("›")]
            for step in steps:
                link = page.get_by_role("link", name=step, exact=True).first
                if not link.is_visible():  # on a phone, the less used sections are under "Plus"
                    page.locator("summary", has_text="Plus").click()
                link.click()
            expect(page.get_by_role("heading", level=1)).to_have_text(steps[-1])
        page.context.close()
