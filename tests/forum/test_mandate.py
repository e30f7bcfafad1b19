"""The assemblies service opens a mandate, seats its élus one by one or from a CSV (all lines checked
first), and each new élu gets a first sign-in link by mail."""

import email
import email.policy
import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.forum.helpers import new_mandate
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.forum import service
from webapp.organisation.models import Elu, Mandate


def _mails(app, domain: str) -> list[str]:
    """Bodies of the mails written for addresses at ``domain`` (the folder is shared by the whole run)."""
    folder = Path(app.instance_path) / "mail"
    messages = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                for p in sorted(folder.glob("*.eml"))] if folder.exists() else []
    return [m.get_content() for m in messages if m["To"].endswith("@" + domain)]


def _csv(client, mandate, text: str, create_groups: bool = True):
    from io import BytesIO

    data = {"file": (BytesIO(text.encode()), "elus.csv"), **({"create_groups": "1"} if create_groups else {})}
    return client.post(f"/forum/mandates/{mandate.id}/import", data=data, content_type="multipart/form-data")


def test_the_assemblies_service_opens_a_mandate(client, make):
    client.login(make.assemblies())
    response = client.post("/forum/mandates", data={"label": "2028-2034", "starts_on": "2028-04-01",
                                                    "ends_on": "2034-03-31"})
    assert response.status_code == 302
    mandate = db.session.scalar(db.select(Mandate).where(Mandate.label == "2028-2034"))
    assert response.headers["Location"].endswith(f"/forum/mandates/{mandate.id}")


def test_a_mandate_with_missing_or_backward_dates_is_refused_on_the_form(client, make):
    client.login(make.assemblies())
    response = client.post("/forum/mandates", data={"label": "2028-2034", "starts_on": "", "ends_on": "2034-03-31"})
    assert response.status_code == 422 and "Ce champ est obligatoire." in response.get_data(as_text=True)
    response = client.post("/forum/mandates", data={"label": "X", "starts_on": "2034-04-01", "ends_on": "2028-03-31"})
    assert response.status_code == 422 and "La fin du mandat doit suivre son début." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Mandate)) == 0


def test_only_the_assemblies_service_manages_mandates(client, make):
    client.login(make.agent())
    assert client.get("/forum/mandates").status_code == 403
    assert client.post("/forum/mandates", data={"label": "Z", "starts_on": "2028-04-01",
                                                "ends_on": "2034-03-31"}).status_code == 403


def test_a_csv_with_one_bad_line_imports_nothing_and_names_the_line(client, make, app):
    mandate = new_mandate(make)
    client.login(make.assemblies())
    response = _csv(client, mandate, "email;nom;groupe\na@bad.fr;Anne A;Majorité\nb@bad.fr;Bruno B;\n"
                                     "pas-une-adresse;Céline C;Opposition\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ligne 3 : un élu doit avoir un groupe politique" in page
    assert "Ligne 4 : adresse e-mail invalide" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(User).where(User.email == "a@bad.fr")) == 0
    assert _mails(app, "bad.fr") == []


def test_a_good_csv_seats_the_elus_with_their_groups_and_invites_them(client, make, app):
    mandate = new_mandate(make)
    returning = make.user("Élue sortante", email="deja@csv.fr")
    client.login(make.assemblies())
    lines = "".join(f"elu{n}@csv.fr;Élu {n};{'Majorité' if n % 2 else 'Opposition'}\n" for n in range(40))
    response = _csv(client, mandate, "email;nom;groupe\n" + lines + "deja@csv.fr;Élue sortante;Majorité\n")
    assert response.status_code == 302
    terms = service.mandate_elus(db.session.get(Mandate, mandate.id))
    assert len(terms) == 41
    assert {t.group.name for t in terms} == {"Majorité", "Opposition"}
    mails = _mails(app, "csv.fr")
    assert len(mails) == 40  # the returning élue already has a password: she signs in as before
    assert not any(returning.email in m for m in mails)


def test_an_unknown_group_is_refused_unless_new_groups_are_asked_for(client, make):
    mandate = new_mandate(make)
    make.elu(group="Majorité")
    client.login(make.assemblies())
    response = _csv(client, mandate, "email;nom;groupe\nz@typo.fr;Zoé Z;Majorite\n", create_groups=False)
    assert response.status_code == 422
    assert "Ligne 2 : groupe politique inconnu : « Majorite »" in response.get_data(as_text=True)
    assert _csv(client, mandate, "email;nom;groupe\nz@typo.fr;Zoé Z;Majorité\n", create_groups=False).status_code == 302


def test_the_invitation_link_sets_a_password_signs_in_and_is_spent(client, make, app):
    mandate = new_mandate(make)
    client.login(make.assemblies())
    response = client.post(f"/forum/mandates/{mandate.id}/elus", data={"name": "Nadia Nouvelle",
                                                                      "email": "nadia@invite.fr", "group": "Majorité"})
    assert response.status_code == 302
    link = re.search(r"http://\S+/forum/invitation/\S+", _mails(app, "invite.fr")[0]).group(0)
    path = urlsplit(link).path
    client.post("/logout")
    response = client.post(path, data={"password": "un-mot-de-passe-sur", "confirm": "un-mot-de-passe-sur"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/forum/profile")
    assert "Nadia Nouvelle" in client.get("/forum/profile").get_data(as_text=True)
    client.post("/logout")
    assert client.get(path).status_code == 400  # spent


def test_adding_an_elu_without_a_group_is_refused(client, make):
    mandate = new_mandate(make)
    client.login(make.assemblies())
    response = client.post(f"/forum/mandates/{mandate.id}/elus", data={"name": "Sans Groupe", "email": "s@ex.fr"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Elu)) == 0
