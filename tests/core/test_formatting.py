"""Amounts and sizes are written the way the page's language writes them: French separators never show
on a page in English, and French pages keep theirs."""

from __future__ import annotations

from decimal import Decimal

from tests.atlas.helpers import themes_and_codes, two_mandates
from tests.commissions.helpers import signed
from webapp.atlas import service as atlas
from webapp.commissions import service as commissions
from webapp.extensions import db


def test_amounts_and_sizes_follow_the_page_language(app, make):
    _previous, current = two_mandates(make)
    themes = themes_and_codes()
    assemblies = make.assemblies()
    atlas.add_line(assemblies, current, 2022, themes["Culture"], Decimal("12345.60"))
    commissions.upload_report(assemblies, assemblies.unit, current, "Rapport 2025", "rapport.pdf",
                              b"%PDF-1.7\n" + b"0" * (int(2.5 * 1024 * 1024) - 9))
    db.session.commit()
    client = signed(app, assemblies)

    french = client.get(f"/atlas/gestion?mandate_id={current.id}").get_data(as_text=True)
    assert "12\u202f346\u00a0€" in french
    assert "2,5\u00a0Mo" in client.get("/commissions/rapports").get_data(as_text=True)

    assemblies.language = "en"
    db.session.commit()
    english = client.get(f"/atlas/gestion?mandate_id={current.id}").get_data(as_text=True)
    assert "€12,346" in english and "12\u202f346" not in english
    reports = client.get("/commissions/rapports").get_data(as_text=True)
    assert "2.5\u00a0MB" in reports and "2,5" not in reports
