"""At 200 % text on a phone, no page of any role scrolls sideways.

"200 % text" is the browser's default font size set to 32 px (Chrome's Settings › Appearance › Font
size, here through the DevTools protocol): what a person with low vision changes, and what every rem and
em of the app, and its em media queries, follow. Zooming the whole page instead would only narrow the
viewport, which the 320 px layouts already cover.

The pages are gathered as each person would reach them: from the navigation of the demo authority (the
tabs and the "Plus" menu of each role, always visited), then every link found from there, one page per
kind of URL (one note page stands for all notes) so that the walk stays short.
"""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.shell.crawl import use_large_text, walk
from tests.support.browser import PHONE
from webapp.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_accounts(app) -> list[str]:
    from webapp.accounts import demo as accounts_demo

    accounts = accounts_demo.build(PASSWORD)
    for build in app.extensions.get("tandem_demo", []):
        build()
    db.session.commit()
    return [account.email for account in accounts]


def large_text_phone(chromium, live_server):
    # No service worker: this walk is about layout, and each person would otherwise precache the shell.
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR",
                                   base_url=live_server.url, service_workers="block")
    context.set_default_timeout(10_000)
    page = context.new_page()
    use_large_text(context, page)
    return context, page


def sign_in_as(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def test_no_page_of_any_role_scrolls_sideways_at_200_percent_text(chromium, live_server, demo_accounts):
    seen: set[str] = set()
    context, page = large_text_phone(chromium, live_server)
    public = walk(page, ["/login", "/password/forgot", "/atlas"], seen)  # signed out: the public atlas
    context.close()
    visited, sideways, errors = public.visited, public.sideways, public.errors
    for email in demo_accounts:
        context, page = large_text_phone(chromium, live_server)
        sign_in_as(page, email)
        nav = page.eval_on_selector_all(".tabbar a[href]", "links => links.map(a => a.getAttribute('href'))")
        result = walk(page, ["/", *nav], seen)
        context.close()
        visited += [f"{email} {path}" for path in result.visited]
        sideways += [(email, *item) for item in result.sideways]
        errors += [(email, *item) for item in result.errors]
    assert len(visited) > 60  # the walk really went through the app
    assert errors == []
    assert sideways == [], "pages wider than the phone at 200 % text (page, scrollWidth, clientWidth)"
