"""Cumul rules as data with their source (legal ones pre-filled, local ones added, any set aside), the
scale and caps recorded as new versions (history kept), the 1.5 × parliamentary cap, and the annex table
with the legal envelope as a page, a CSV and a PDF."""

import subprocess
from datetime import time
from decimal import Decimal

from tests.designation.helpers import elu_with_profile, published_organisation
from tests.forum.helpers import new_elu
from webapp.designation import assigning, indemnities, rules, service
from webapp.extensions import db
from webapp.forum import service as forum
from webapp.organisation import service as organisation


def _cumul(term) -> list[str]:
    return [a["message"] for found in service.analysis(term)["alerts"].values() for a in found
            if a["kind"] == "cumul"]


def _presidencies(clerk, mandate):
    cp = next(b for b in organisation.bodies(mandate) if b.kind == "permanent_commission")
    president = organisation.add_post(clerk, cp, {"role": "president", "function_type": "decision",
                                                  "hours_per_month": 60})
    bodies = [organisation.add_body(clerk, mandate, {"kind": "thematic_commission", "name": name})
              for name in ("Commission Collèges", "Commission Solidarités")]
    chairs = [organisation.add_post(clerk, body, {"role": "commission_president", "function_type": "decision",
                                                  "hours_per_month": 10, "weekday": 4, "starts_at": time(9),
                                                  "ends_at": time(11) if n == 0 else time(10)})
              for n, body in enumerate(bodies)]
    db.session.commit()
    return president, chairs


def test_a_mayor_wishing_the_presidency_is_told_the_law_and_its_source(make):
    mandate, clerk, _posts = published_organisation(make)
    user, term = elu_with_profile(make, mandate)
    forum.add_interest(user, term, {"category": "mandate", "organisation": "Commune de Valcreuse", "role": "Maire"})
    president, chairs = _presidencies(clerk, mandate)
    service.add_wish(user, term, president, "Conduire l’exécutif.")
    [said] = _cumul(term)
    assert "incompatibles avec celles de maire" in said and "Maire, Commune de Valcreuse" in said
    assert "(CGCT, art. L3122-3)" in said
    # A local rule, pre-filled: one chairmanship at most.
    for chair in chairs:
        service.add_wish(user, term, chair, "Suivre les collèges.")
    assert sum("ne préside qu’une commission" in m for m in _cumul(term)) == 2


def test_the_coordination_sets_a_rule_aside_and_adds_one_the_elu_only_reads(make, client):
    mandate, clerk, posts = published_organisation(make)
    user, term = elu_with_profile(make, mandate)
    forum.add_interest(user, term, {"category": "mandate", "organisation": "Commune de Valcreuse", "role": "maire"})
    president, _chairs = _presidencies(clerk, mandate)
    service.add_wish(user, term, president, "Conduire l’exécutif.")
    service.add_wish(user, term, posts["sem"], "Énergies locales.")
    db.session.commit()

    client.login(user)
    page = client.get("/designation/rules").get_data(as_text=True)
    assert "CGCT, art. L3122-3" in page and "Ajouter une règle locale" not in page
    assert client.post("/designation/rules/active", data={"label": rules.DEFAULTS[0]["label"]}).status_code == 403

    client.login(clerk)
    response = client.post("/designation/rules/active", data={"label": rules.DEFAULTS[0]["label"]},
                           follow_redirects=True)
    assert "Règle écartée." in response.get_data(as_text=True)
    refused = client.post("/designation/rules", data={"kind": "max", "role": "representative", "label": "x",
                                                      "source": "RI"})
    assert refused.status_code == 422 and "Indiquez le nombre de postes permis." in refused.get_data(as_text=True)
    client.post("/designation/rules", data={
        "kind": "exclusive", "role": "president", "other_role": "representative",
        "label": "Le président ne représente pas le département dans une SEM.",
        "source": "Règlement intérieur, art. 12"})
    assert _cumul(term) == ["Le président ne représente pas le département dans une SEM. "
                            "(Règlement intérieur, art. 12)"] * 2
    page = client.get("/designation/rules").get_data(as_text=True)
    assert "écartée" in page and "Règlement intérieur, art. 12" in page


def test_a_new_scale_and_caps_are_a_new_version_and_the_old_stays_in_history(make, client):
    mandate, clerk, posts = published_organisation(make)
    user, term = elu_with_profile(make, mandate)
    service.add_wish(user, term, posts["foyer"], "Les bénévoles.")
    service.add_wish(user, term, posts["sem"], "Énergies.")
    db.session.commit()
    assert service.analysis(term)["simulation"]["ceiling"] == Decimal("2466.31")

    client.login(clerk)
    response = client.post("/designation/scale", data={
        "reference": "4200", "cap_conseiller": "1", "source": "Délibération du 30 mars 2028",
        "in_force_since": "2028-03-30"}, follow_redirects=True)
    assert "l’ancienne version reste dans l’historique" in response.get_data(as_text=True)
    client.post("/designation/scale", data={"parliamentary_base": "5000", "source": "Ordonnance 58-1210",
                                            "in_force_since": "2028-04-01"})
    analysis = service.analysis(term)
    assert analysis["simulation"]["ceiling"] == Decimal("2520.00")  # 60 % of 4 200
    assert analysis["cap"] == {"level": "conseiller", "representations": 2, "limit": 1, "over": True}
    history = client.get("/designation/rules").get_data(as_text=True)
    assert history.count("Délibération du 30 mars 2028") == 1 and "Ordonnance 58-1210" in history
    assert "7 500,00" in history.replace("\u202f", " ").replace("\xa0", " ")  # 1.5 × the base
    assert len(rules.versions(mandate)) == 2
    assert client.post("/designation/scale", data={"source": "x"}).status_code == 422

    # Other mandates' indemnities: 6 500 € + the simulated 1 260 € pass 7 500 €: the wishes page warns.
    client.login(user)
    client.post("/designation/availability", data={"hours_per_month": "40", "other_indemnities": "6500"})
    page = client.get("/designation/wishes").get_data(as_text=True)
    assert "le montant est écrêté (CGCT, art. L3123-18)" in page and "Règles de cumul, barème et plafonds" in page


def _assigned(make):
    mandate, clerk, posts = published_organisation(make)
    coordinator, _ = new_elu(make, mandate, "Chloé Cercle")
    organisation.grant_coordination(clerk, mandate, coordinator)
    vp_user, vp = new_elu(make, mandate, "Valérie Vice")
    _other, conseiller = new_elu(make, mandate, "=HYPERLINK(\"x\") Conseiller")
    assigning.assign(coordinator, vp, posts["vp"])
    assigning.assign(coordinator, conseiller, posts["foyer"])
    db.session.commit()
    return mandate, clerk, coordinator, vp_user


def test_the_annex_lists_holders_with_functions_indemnities_and_the_envelope(make, client):
    mandate, _clerk, coordinator, vp_user = _assigned(make)
    table = indemnities.annex(mandate)
    by_name = {row["name"]: row for row in table["rows"]}
    assert by_name["Valérie Vice"]["function"] == "Vice-président"
    assert by_name["Valérie Vice"]["legal_ceiling"] == Decimal("3452.84")
    # The envelope: the law's ceilings for the same functions (2 conseillers and a VP).
    assert table["envelope"] == Decimal("3452.84") + 2 * Decimal("2466.31") and not table["over"]

    client.login(vp_user)
    assert client.get("/designation/annex").status_code == 403
    client.login(coordinator)
    page = client.get("/designation/annex").get_data(as_text=True)
    assert "Valérie Vice" in page and "Commission permanente — Vice-président" in page
    assert "Total simulé / enveloppe légale" in page
    board = client.get("/designation/arbitration").get_data(as_text=True)
    assert "pour une enveloppe légale de" in board

    csv_text = client.get("/designation/annex.csv").get_data(as_text=True)
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("élu;groupe;fonction")
    assert any("'=HYPERLINK" in line for line in lines)  # neutralised for spreadsheets
    assert not any(line.startswith("=") or line.startswith('"=') for line in lines)
    assert lines[-1].startswith("total;")

    pdf = client.get("/designation/annex.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
    assert "Valérie Vice" in text and "Vice-président" in text


def test_a_scale_above_the_law_passes_the_envelope(make, client):
    mandate, clerk, _coordinator, _vp = _assigned(make)
    client.login(clerk)
    client.post("/designation/scale", data={"vice_president_bonus": "60", "source": "Délibération",
                                            "in_force_since": "2028-04-01"})
    # The VP's 4 110,52 × 60 % × 1,6 = 3 946,10 € passes the law's 3 452,84 €, but the conseillers, paid
    # half their ceiling for the little time given, keep the total inside the envelope.
    assert not indemnities.annex(mandate)["over"]
    client.post("/designation/scale", data={"conseiller_rate": "100", "source": "Délibération",
                                            "in_force_since": "2028-04-01"})
    table = indemnities.annex(mandate)
    assert table["total"] == Decimal("6576.83") + 2 * Decimal("2055.26") and table["over"]
    assert "Le total dépasse l’enveloppe légale" in client.get("/designation/annex").get_data(as_text=True)


def test_counts_read_as_singular_or_plural(make, client):
    mandate, _clerk, posts = published_organisation(make)
    user, term = elu_with_profile(make, mandate)
    client.login(user)
    service.add_wish(user, term, posts["foyer"], "Les bénévoles.")
    db.session.commit()
    assert "1 poste de représentation sur 4 permis" in client.get("/designation/wishes").get_data(as_text=True)
    service.add_wish(user, term, posts["sem"], "Énergies.")
    db.session.commit()
    assert "2 postes de représentation sur 4 permis" in client.get("/designation/wishes").get_data(as_text=True)
