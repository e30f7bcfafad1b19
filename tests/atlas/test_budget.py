"""Budget data: CSV import (all or nothing, errors by line), manual entry, codes mapped to themes,
each theme's share of the total budget per mandate."""

from decimal import Decimal
from pathlib import Path

import pytest

from tests.atlas.helpers import CSV_HEADER, themes_and_codes, two_mandates
from tests.commissions.helpers import signed
from webapp.atlas import service
from webapp.atlas.models import BudgetLine
from webapp.core import csvfile
from webapp.core.errors import DomainError
from webapp.extensions import db


def _count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(BudgetLine))


def test_each_themes_share_of_the_total_budget_per_mandate(make):
    previous, current = two_mandates(make)
    themes = themes_and_codes()
    service.add_line(None, current, 2022, themes["Solidarités"], "600 000,00")
    service.add_line(None, current, 2023, themes["Solidarités"], "150000")
    service.add_line(None, current, 2022, themes["Mobilités"], "250 000")
    service.add_line(None, previous, 2016, themes["Solidarités"], "400000")
    service.add_line(None, previous, 2016, themes["Mobilités"], "600000")
    db.session.commit()
    shares = {s.theme.name: s for s in service.shares(current)}
    assert shares["Solidarités"].amount == Decimal("750000.00") and shares["Solidarités"].total == Decimal("1000000")
    assert shares["Solidarités"].share == pytest.approx(0.75) and shares["Solidarités"].percent == "75,0 %"
    assert shares["Mobilités"].share == pytest.approx(0.25)
    assert shares["Culture"].share == 0.0
    assert sum(s.share for s in service.shares(current)) == pytest.approx(1.0)
    history = service.history(themes["Solidarités"], current)
    assert [(s.mandate.label, round(s.share, 2)) for s in history] == [("2015-2021", 0.4), ("2021-2028", 0.75)]


def test_functional_codes_map_to_themes_by_their_longest_prefix(make):
    themes = themes_and_codes()
    assert service.theme_for_code("4211") == themes["Solidarités"]
    assert service.theme_for_code("31") == themes["Culture"]
    assert service.theme_for_code("32") == themes["Éducation"]
    assert service.theme_for_code("3") is None
    service.map_code(None, "421", themes["Éducation"])
    assert service.theme_for_code("4211") == themes["Éducation"] and service.theme_for_code("41") == themes[
        "Solidarités"]


def test_a_bad_csv_is_refused_with_its_errors_by_line_and_nothing_is_imported(app, make):
    two_mandates(make)
    themes = themes_and_codes()
    service.add_line(None, service.mandate_by_label("2021-2028"), 2022, themes["Culture"], "1000")
    db.session.commit()
    text = CSV_HEADER + "\n".join([
        "2021-2028;2022;solidarites;;1 000 000,00",   # line 2: good
        "2030-2036;2031;solidarites;;10",             # line 3: unknown mandate
        "2021-2028;2019;;8;10",                        # line 4: year outside the mandate
        "2021-2028;2023;;99;10",                       # line 5: code mapped to no theme
        "2021-2028;2023;Culture;4;10",                 # line 6: code and theme disagree
        "2021-2028;2024;culture;;douze",               # line 7: amount
        "2021-2028;2024;;;10",                         # line 8: neither theme nor code
        "2021-2028;2024;mobilites;;2 500,5",           # line 9: good
    ]) + "\n"
    response = signed(app, make.assemblies()).post("/api/v1/atlas/budget/import", json={"csv": text})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["message"] == "Fichier refusé : 6 ligne(s) en erreur, rien n’a été importé."
    fields = error["fields"]
    assert sorted(fields) == ["ligne 3", "ligne 4", "ligne 5", "ligne 6", "ligne 7", "ligne 8"]
    assert "mandat inconnu « 2030-2036 »" in fields["ligne 3"][0]
    assert "n’appartient pas au mandat 2021-2028" in fields["ligne 4"][0]
    assert "code fonctionnel 99 rattaché à aucun thème" in fields["ligne 5"][0]
    assert "relève du thème « Solidarités »" in fields["ligne 6"][0]
    assert "montant invalide « douze »" in fields["ligne 7"][0]
    assert "thème ou code fonctionnel manquant" in fields["ligne 8"][0]
    assert _count() == 1  # only the line entered before: nothing of the file, not even its good lines


def test_the_import_page_lists_the_errors_line_by_line(app, make):
    two_mandates(make)
    themes_and_codes()
    page = signed(app, make.assemblies()).post("/atlas/gestion/import", data={
        "file": (__import__("io").BytesIO((CSV_HEADER + "2021-2028;2022;inconnu;;5\n").encode()),
                                     "budget.csv")}, content_type="multipart/form-data")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Erreurs ligne par ligne" in html and "ligne 2" in html and "thème inconnu « inconnu »" in html
    assert _count() == 0


def test_the_header_is_checked(make):
    with pytest.raises(DomainError) as refused:
        service.import_budget_csv(None, "annee,montant\n2022,10\n")
    assert "En-tête attendu" in next(iter(refused.value.fields.values()))[0]


def test_the_shipped_sample_imports_for_two_mandates_and_a_new_import_replaces_it(make):
    two_mandates(make)
    themes_and_codes()
    sample = Path(service.__file__).parent.with_name("sample_budget.csv").read_text(encoding="utf-8")
    first = service.import_budget_csv(None, sample)
    db.session.commit()
    assert len(first.lines) == _count() == len(sample.strip().splitlines()) - 1
    assert {p.mandate.label for p in first.lines} == {"2015-2021", "2021-2028"}
    service.import_budget_csv(None, sample)
    db.session.commit()
    assert _count() == len(first.lines)  # replaced, not doubled
    shares = {s.theme.name: s.share for s in service.shares(service.mandate_by_label("2021-2028"))}
    assert shares["Solidarités"] == pytest.approx(0.545, abs=0.001)


def test_windows_1252_and_comma_separated_files_are_read(make):
    two_mandates(make)
    themes_and_codes()
    data = (CSV_HEADER.replace(";", ",") + '2021-2028,2022,Éducation,,"12 000,50"\n').encode("cp1252")
    result = service.import_budget_csv(None, csvfile.decode(data))
    assert [(p.theme.name, p.amount) for p in result.lines] == [("Éducation", Decimal("12000.50"))]


def test_only_the_assemblies_import_or_enter_budget(app, make):
    _previous, current = two_mandates(make)
    themes_and_codes()
    agent = signed(app, make.agent())
    assert agent.post("/api/v1/atlas/budget/import", json={"csv": CSV_HEADER}).status_code == 403
    body = {"mandate_id": str(current.id), "year": 2022, "theme": "culture", "amount": "1 500"}
    assert agent.post("/api/v1/atlas/budget/lines", json=body).status_code == 403
    created = signed(app, make.assemblies()).post("/api/v1/atlas/budget/lines", json=body)
    assert created.status_code == 201 and created.get_json()["amount"] == "1500.00"
