"""Administrator commands: a refused input gets one line on stderr and a non-zero exit, and nothing is
written; imports report every error of the file at once; the demo's password can be changed."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from webapp.accounts import service
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.organisation.models import PoliticalGroup


def run(app, *args, env=None):
    return app.test_cli_runner().invoke(args=list(args), env=env)


def people_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(User))


def one_line(result) -> str:
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- people admin ---------------------------------------------------------------------------------

def test_admin_with_a_short_password_is_one_line_and_creates_nobody(app):
    result = run(app, "people", "admin", "chef@example.test", "--password", "x")
    assert one_line(result) == "Erreur : Le mot de passe doit compter au moins 10 caractères."
    assert service.find_by_email("chef@example.test") is None and people_count() == 0


def test_admin_with_an_invalid_address_is_refused_like_the_api(app, client, make):
    result = run(app, "people", "admin", "pas-un-email", "--password", "assez-long-2026")
    assert one_line(result) == "Erreur : email : Not a valid email address."
    assert people_count() == 0
    # The API refuses the same address with the same message (the same schema).
    client.login(make.user(admin=True))
    response = client.post("/api/v1/people", json={"email": "pas-un-email", "name": "Quelqu’un"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["email"] == ["Not a valid email address."]


def test_admin_with_a_name_too_long_is_refused(app):
    result = run(app, "people", "admin", "chef@example.test", "--name", "x" * 161, "--password", "assez-long-2026")
    assert one_line(result).startswith("Erreur : name : ")
    assert people_count() == 0


def test_admin_creates_an_administrator_who_can_sign_in(app, client):
    result = run(app, "people", "admin", "Chef@Example.test", "--name", "Équipe informatique",
                 "--password", "assez-long-2026")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "chef@example.test est administrateur."
    user = service.find_by_email("chef@example.test")
    assert user.is_admin and user.name == "Équipe informatique"
    assert service.check_password(user, "assez-long-2026")


def test_admin_makes_an_existing_account_administrator(app, make):
    person = make.agent("Paul Existant")
    result = run(app, "people", "admin", person.email, "--password", "assez-long-2026")
    assert result.exit_code == 0, result.output
    db.session.refresh(person)
    assert person.is_admin and person.name == "Paul Existant"


# --- people import --------------------------------------------------------------------------------

def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_reports_every_error_of_the_file_in_one_pass_and_writes_nothing(app, make, tmp_path):
    make.mandate()
    make.elu("Élue Existante", group="Union pour la Vallée-Haute")
    before = people_count()
    csv = write(tmp_path, "email;nom;direction;service;encadrant;fonction;groupe\n"
                          "pas-un-email;Quelqu’un;;;;;\n"
                          "agent@example.test;Agent;Direction des routes;Routes;inconnu@example.test;agent;\n"
                          "elu@example.test;Élu;;;;elu;Union pour la Valée-Haute\n"
                          "autre@example.test;Autre;;;;stagiaire;\n"
                          "seul@example.test;;;Routes;;;\n")
    result = run(app, "people", "import", csv)
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = result.stderr.strip().splitlines()
    assert errors == [
        "ligne 2 : adresse e-mail invalide : « pas-un-email »",
        "ligne 3 : encadrant inconnu : inconnu@example.test (ni dans le fichier, ni dans Tandem)",
        "ligne 4 : groupe politique inconnu : « Union pour la Valée-Haute » (groupes existants : "
        "Union pour la Vallée-Haute ; pour le créer : « Créer les groupes inconnus » ou --create-groups)",
        "ligne 5 : fonction inconnue : « stagiaire » (agent, elu, cabinet, assemblees)",
        "ligne 6 : nom manquant",
        "ligne 6 : un service doit être rattaché à une direction",
        "Rien n’a été importé : 6 erreur(s).",
    ]
    assert people_count() == before
    assert db.session.scalar(db.select(db.func.count()).select_from(PoliticalGroup)) == 1


def test_import_creates_a_new_group_only_when_asked(app, make, tmp_path):
    make.mandate()
    csv = write(tmp_path, "email;nom;direction;service;encadrant;fonction;groupe\n"
                          "elu@example.test;Élu Nouveau;;;;elu;Groupe des indépendants\n")
    refused = run(app, "people", "import", csv)
    assert refused.exit_code == 1 and "groupe politique inconnu" in refused.stderr
    assert service.find_by_email("elu@example.test") is None
    accepted = run(app, "people", "import", "--create-groups", csv)
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.strip() == "1 créés, 0 mis à jour."
    group = db.session.scalar(db.select(PoliticalGroup))
    assert group.name == "Groupe des indépendants"


def test_import_of_elus_without_a_mandate_is_one_error_per_line(app, tmp_path):
    csv = write(tmp_path, "email;nom;direction;service;encadrant;fonction;groupe\n"
                          "elu@example.test;Élu;;;;elu;Majorité\n")
    result = run(app, "people", "import", "--create-groups", csv)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "ligne 2 : aucun mandat n’est défini : créez-en un avant d’importer des élus" in result.stderr
    assert people_count() == 0


def test_a_manager_loop_in_the_file_is_one_line_and_nothing_is_written(app, tmp_path):
    csv = write(tmp_path, "email;nom;direction;service;encadrant;fonction;groupe\n"
                          "a@example.test;Alice;Direction;;b@example.test;agent;\n"
                          "b@example.test;Bruno;Direction;;a@example.test;agent;\n")
    result = run(app, "people", "import", csv)
    assert one_line(result) == "Erreur : Cette hiérarchie formerait une boucle."
    assert people_count() == 0


def test_a_file_that_cannot_be_read_is_one_line(app, tmp_path):
    result = run(app, "people", "import", str(tmp_path / "absent.csv"))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "absent.csv" in result.stderr


# --- demo -----------------------------------------------------------------------------------------

def test_demo_run_again_with_a_new_password_gives_it_to_every_account(app):
    first = run(app, "demo", env={"TANDEM_DEMO_PASSWORD": "premier-mot-de-passe"})
    assert first.exit_code == 0, first.output
    second = run(app, "demo", env={"TANDEM_DEMO_PASSWORD": "second-mot-de-passe"})
    assert second.exit_code == 0, second.output
    assert "mot de passe commun : second-mot-de-passe" in second.stdout
    printed = re.findall(r"\S+@vallee-haute\.fr", second.stdout)
    assert len(printed) == 7
    for email in printed:
        user = service.find_by_email(email)
        assert service.check_password(user, "second-mot-de-passe"), email
        assert not service.check_password(user, "premier-mot-de-passe"), email
    saved = Path(app.config["INSTANCE_PATH"]) / "demo_password"
    assert saved.read_text() == "second-mot-de-passe"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    saved.unlink()


def test_demo_with_a_short_password_is_one_line_and_loads_nothing(app):
    result = run(app, "demo", "--password", "court")
    assert one_line(result) == "Erreur : Le mot de passe doit compter au moins 10 caractères."
    assert people_count() == 0
    assert not (Path(app.config["INSTANCE_PATH"]) / "demo_password").exists()


def test_the_import_page_creates_new_groups_only_when_the_box_is_ticked(client, make):
    import io

    make.mandate()
    client.login(make.user(admin=True))
    csv = "email;nom;direction;service;encadrant;fonction;groupe\nelu@example.test;Élu Nouveau;;;;elu;Indépendants\n"

    def post(**extra):
        return client.post("/admin/import", data={"file": (io.BytesIO(csv.encode()), "people.csv"), **extra},
                           content_type="multipart/form-data")

    refused = post()
    assert refused.status_code == 422 and "groupe politique inconnu" in refused.get_data(as_text=True)
    assert service.find_by_email("elu@example.test") is None
    assert post(create_groups="1").status_code == 200
    assert db.session.scalar(db.select(PoliticalGroup)).name == "Indépendants"
