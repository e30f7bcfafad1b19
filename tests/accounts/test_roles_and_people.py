"""Roles derived from organisation data, the people API, CSV import, demo data."""

from webapp.accounts import service
from webapp.accounts.models import User
from webapp.accounts.roles import roles_of
from webapp.core.models import AuditEvent
from webapp.extensions import db
from webapp.organisation.models import Elu


def test_roles_come_from_the_organisation(make):
    boss, agent = make.manager_with_agent()
    vp = make.elu(functions=[{"kind": "vice_president", "delegation": "Routes"}])
    plain = make.elu()
    cabinet = make.cabinet()
    assemblies = make.assemblies()
    admin = make.user(admin=True)
    assert roles_of(agent) == {"agent"}
    assert roles_of(boss) == {"agent", "manager"}
    assert roles_of(vp) == {"elu", "vice_president", "responsibilities"}
    assert roles_of(plain) == {"elu"}
    assert roles_of(cabinet) == {"cabinet"}
    assert roles_of(assemblies) == {"agent", "assemblies"}
    assert roles_of(admin) == {"admin"}


def test_a_person_may_hold_several_roles(make):
    commission = make.commission()
    boss, _agent = make.manager_with_agent()
    term = Elu(user=boss, mandate=make.mandate(), group=service.get_or_create_group("G", "G"))
    db.session.add(term)
    db.session.commit()
    from webapp.organisation.models import EluFunction

    db.session.add(EluFunction(elu=term, kind="commission_president", commission=commission))
    db.session.commit()
    assert roles_of(boss) == {"agent", "manager", "elu", "commission_president", "responsibilities"}


def test_an_elu_of_a_past_mandate_is_no_longer_elu(make):
    from datetime import date

    old = make.mandate("2008-2014", date(2008, 3, 1), date(2014, 3, 1))
    make.mandate()
    user = make.user()
    db.session.add(Elu(user=user, mandate=old))
    db.session.commit()
    assert "elu" not in roles_of(user)


def test_role_sent_by_the_client_is_ignored(client, make):
    agent = make.agent()
    client.login(agent)
    response = client.patch("/api/v1/me", json={"language": "fr", "roles": ["admin"], "is_admin": True})
    assert response.status_code == 200
    assert response.get_json()["roles"] == ["agent"]
    assert client.post("/api/v1/people", json={"email": "x@example.test", "name": "X"}).status_code == 403
    assert db.session.scalar(db.select(User).where(User.email == "x@example.test")) is None


def test_admin_creates_and_edits_people_through_the_api(client, make):
    unit = make.unit()
    client.login(make.user(admin=True))
    created = client.post("/api/v1/people", json={"email": "Nouvelle@Example.test", "name": "Nouvelle Agente",
                                                  "unit_id": str(unit.id)})
    assert created.status_code == 201
    person = created.get_json()
    assert person["email"] == "nouvelle@example.test" and person["unit"]["name"] == unit.name
    dup = client.post("/api/v1/people", json={"email": "nouvelle@example.test", "name": "Doublon"})
    assert dup.status_code == 409
    patched = client.patch(f"/api/v1/people/{person['id']}", json={"active": False})
    assert patched.status_code == 200 and patched.get_json()["active"] is False
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.subject_id == person["id"])) == 2


def test_manager_loop_is_refused(client, make):
    boss, agent = make.manager_with_agent()
    client.login(make.user(admin=True))
    response = client.patch(f"/api/v1/people/{boss.id}", json={"manager_id": str(agent.id)})
    assert response.status_code == 422
    assert "boucle" in response.get_json()["error"]["message"]


def test_people_directory_is_paginated(client, make):
    for _ in range(5):
        make.agent()
    client.login(make.agent())
    page = client.get("/api/v1/people?per_page=2&page=2").get_json()
    assert len(page["items"]) == 2 and page["meta"]["total"] == 6 and page["meta"]["pages"] == 3


CSV_OK = """email;nom;direction;service;encadrant;fonction;groupe
chef@example.test;Cheffe Routes;Direction des territoires;Routes;;agent;
agent@example.test;Agent Routes;Direction des territoires;Routes;chef@example.test;agent;
elue@example.test;Élue Conseillère;;;;elu;Majorité départementale
"""


def test_csv_import_creates_people_units_and_elus(make):
    make.mandate()
    result = service.import_people_csv(None, CSV_OK, create_groups=True)
    db.session.commit()
    assert result.errors == [] and result.created == 3
    agent = service.find_by_email("agent@example.test")
    assert agent.manager.email == "chef@example.test"
    assert agent.unit.path == "Direction des territoires › Routes"
    assert "elu" in roles_of(service.find_by_email("elue@example.test"))
    # Importing again updates, never duplicates.
    again = service.import_people_csv(None, CSV_OK)
    db.session.commit()
    assert again.created == 0 and again.updated == 3


def test_bad_csv_reports_every_error_by_line_and_imports_nothing(client, make):
    make.mandate()
    client.login(make.user(admin=True))
    bad = CSV_OK + "pas-une-adresse;Quelqu’un;;;;;\nagent@example.test;Doublon;;;;;\n;;;;;;\n"
    import io

    response = client.post("/admin/import", data={"file": (io.BytesIO(bad.encode()), "people.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ligne 5" in page and "Ligne 6" in page and "Ligne 7" in page
    assert service.find_by_email("chef@example.test") is None


def test_admin_pages_are_for_admins_only(client, make):
    client.login(make.agent())
    for path in ("/admin/people", "/admin/people/new", "/admin/import", "/admin/units"):
        assert client.get(path).status_code == 403


def test_admin_pages_render_for_an_admin(client, make):
    person = make.agent("Paul Exemple")
    client.login(make.user(admin=True))
    assert "Paul Exemple" in client.get("/admin/people?q=paul").get_data(as_text=True)
    assert client.get(f"/admin/people/{person.id}").status_code == 200
    response = client.post(f"/admin/people/{person.id}", data={"name": "Paul Modifié", "email": person.email,
                                                               "language": "fr", "active": "1"})
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.name == "Paul Modifié"


def test_demo_is_complete_and_idempotent(app):
    first = app.test_cli_runner().invoke(args=["demo", "--password", "demo-password-123"])
    assert first.exit_code == 0, first.output
    counts = {m.__tablename__: db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (User, Elu)}
    assert counts["elu"] == 40 and counts["user"] >= 100
    second = app.test_cli_runner().invoke(args=["demo", "--password", "demo-password-123"])
    assert second.exit_code == 0
    again = {m.__tablename__: db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (User, Elu)}
    assert again == counts
    assert "demo-password-123" in first.output and "@vallee-haute.fr" in first.output


def test_admin_home_lists_accounts_to_attach(client, make):
    make.user("Orpheline Sans-Service")
    make.agent("Agent Rattaché")
    client.login(make.user(admin=True))
    page = client.get("/").get_data(as_text=True)
    assert "Comptes à rattacher" in page
    assert "Orpheline Sans-Service" in page and "Agent Rattaché" not in page


def test_the_signed_in_persons_roles_read_with_the_pages_facts_are_the_same(app, make):
    """For the signed-in person the roles come from the page's facts (``core.facts``: one statement
    shared with the navigation), for anyone else from a statement of their own: both say the same."""
    from datetime import date

    from webapp.organisation.models import EluFunction

    boss, agent = make.manager_with_agent()
    commission = make.commission()
    mandate = make.mandate()
    term = Elu(user=boss, mandate=mandate, group=service.get_or_create_group("G", "G"))
    db.session.add(term)
    db.session.add(EluFunction(elu=term, kind="commission_president", commission=commission))
    past = make.user()
    db.session.add(Elu(user=past, mandate=make.mandate("2008-2014", date(2008, 3, 1), date(2014, 3, 1))))
    db.session.commit()
    people = {
        agent: ["agent"],
        boss: ["agent", "commission_president", "elu", "manager", "responsibilities"],
        make.elu(functions=[{"kind": "vice_president", "delegation": "Routes"}]): [
            "elu", "responsibilities", "vice_president"],
        make.elu(): ["elu"],
        past: [],
        make.cabinet(): ["cabinet"],
        make.assemblies(): ["agent", "assemblies"],
        make.user(admin=True): ["admin"],
    }
    for person, expected in people.items():
        assert sorted(roles_of(person)) == expected, person.name  # outside a request: its own statement
        client = app.test_client()
        client.login(person)
        assert sorted(client.get("/api/v1/me").get_json()["roles"]) == expected, person.name
