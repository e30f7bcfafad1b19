"""A realistic demo authority: a département council, its élus, directions, services and agents.

Every record is found by a natural key (e-mail, name) before it is created, so running the demo twice
changes nothing. The demo is a guided tour: ``TOUR`` names the accounts printed by ``flask demo``, each
with what waits for it on its home page (the other domains' demo modules create those things for the
people ``member(key)`` returns).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from webapp.accounts import service
from webapp.accounts.models import OrgUnit, User
from webapp.extensions import db
from webapp.organisation.models import Commission, Elu, EluFunction, Mandate

DOMAIN = "vallee-haute.fr"

DIRECTIONS = {
    "Direction des solidarités": [
        "Enfance et famille", "Autonomie", "Insertion et RSA", "Protection maternelle et infantile"],
    "Direction des territoires et des mobilités": ["Routes", "Transports scolaires", "Aménagement et habitat"],
    "Direction de l’éducation, de la culture et des sports": [
        "Collèges", "Culture et patrimoine", "Sports et jeunesse"],
    "Direction des ressources": ["Finances", "Ressources humaines", "Numérique"],
}

GROUPS = [
    ("Union pour la Vallée-Haute", "UVH", 24),
    ("Vallée-Haute solidaire", "VHS", 11),
    ("Écologistes et citoyens", "EC", 5),
]

# (delegation, services it covers)
VICE_PRESIDENCIES = [
    ("Enfance, famille et protection de l’enfance", ["Enfance et famille", "Protection maternelle et infantile"]),
    ("Autonomie des personnes âgées et handicapées", ["Autonomie"]),
    ("Insertion et emploi", ["Insertion et RSA"]),
    ("Routes et infrastructures", ["Routes"]),
    ("Mobilités et transports scolaires", ["Transports scolaires"]),
    ("Aménagement du territoire et habitat", ["Aménagement et habitat"]),
    ("Collèges et réussite éducative", ["Collèges"]),
    ("Culture, patrimoine et tourisme", ["Culture et patrimoine"]),
    ("Sports, jeunesse et vie associative", ["Sports et jeunesse"]),
    ("Finances, ressources humaines et numérique", ["Finances", "Ressources humaines", "Numérique"]),
]

COMMISSIONS = [
    ("Solidarités et santé", "Solidarités"),
    ("Éducation, jeunesse et sports", "Éducation"),
    ("Routes, mobilités et infrastructures", "Mobilités"),
    ("Aménagement, habitat et environnement", "Aménagement"),
    ("Culture, patrimoine et tourisme", "Culture"),
    ("Finances et administration générale", "Finances"),
]

FIRST = ["Claire", "Julien", "Sophie", "Karim", "Nathalie", "Thomas", "Isabelle", "Mehdi", "Camille", "Laurent",
         "Aurélie", "Nicolas", "Sandrine", "Antoine", "Élodie", "Pierre", "Fatima", "Olivier", "Hélène", "Yannick",
         "Céline", "Damien", "Marion", "Sébastien", "Amandine", "François", "Léa", "Romain", "Virginie", "Hugo",
         "Manon", "Stéphane", "Inès", "Guillaume", "Agnès", "Bruno", "Chloé", "Éric", "Lucie", "Xavier"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
        "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
        "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
        "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin"]


@dataclass(frozen=True)
class Stop:
    """One account of the guided tour: its role and what to try. What the hint quotes « … » is on the
    account's home page, and a path "A › B › C" names the links to follow from there (a browser test
    checks both)."""

    key: str
    label: str
    hint: str


TOUR = [
    Stop("agent", "Agent", "« Mes notes à reprendre » : finir « Aide aux jeunes majeurs sortant de l’ASE » ; "
         "excursion demain : « Accueil du public à la maison des solidarités de Saint-Rémy »"),
    Stop("manager", "Encadrant", "« Délais à convenir » : convenir du délai de « Tarification des séjours de "
         "vacances adaptés »"),
    Stop("elu", "Élu (vice-président)", "« Notes à traiter » : « Convention avec la caisse d’allocations "
         "familiales 2027 » en retard, une autre pour aujourd’hui, une plus tard"),
    Stop("commission_president", "Présidente de commission", "« Aperçus à commenter » de « Solidarités et santé » "
         "; Commissions › Solidarités et santé › Session de bilan : classer, choisir, adopter"),
    Stop("opposition", "Élue d’opposition", "« Aperçus à commenter » : l’avis de son groupe sur "
         "« Consultations de PMI itinérantes »"),
    Stop("assemblies", "Service des assemblées", "« Affiches de l’atlas à publier » : relire et publier "
         "« Culture »"),
    Stop("admin", "Administrateur", "« Comptes à rattacher » : placer « Lina Perret », nouvelle arrivée, dans "
         "son service"),
]
NEWCOMER = ("Lina Perret", f"lina.perret@{DOMAIN}")

# key -> e-mail of the tour's accounts, filled by build() for the other demo modules (member()).
_cast: dict[str, str] = {}


@dataclass(frozen=True)
class DemoAccount:
    label: str
    name: str
    email: str
    hint: str


def member(key: str) -> User | None:
    """The demo account playing ``key`` in the tour (after ``build``), or None."""
    return service.find_by_email(_cast[key]) if key in _cast else None


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "-").replace("’", "").replace("'", "")


def _person(index: int) -> tuple[str, str]:
    # A deterministic walk through first and last names gives distinct, stable people.
    first = FIRST[index % len(FIRST)]
    last = LAST[(index * 7 + index // len(FIRST)) % len(LAST)]
    return f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}@{DOMAIN}"


class Builder:
    """Creates the demo records once; remembers which account plays which part of the tour."""

    def __init__(self, password_hash: str):
        # One hash for every account (they share the password): hashing ~110 times would take seconds.
        self.password_hash = password_hash
        self.counter = 0

    def user(self, key: str | None = None, *, unit: OrgUnit | None = None, manager: User | None = None,
             job_title: str | None = None, email: str | None = None, name: str | None = None) -> User:
        if email is None:
            name, email = _person(self.counter)
            self.counter += 1
        user = service.find_by_email(email)
        if user is None:
            user = service.create_user(None, email=email, name=name, unit_id=unit.id if unit else None,
                                       manager_id=manager.id if manager else None, job_title=job_title)
            user.password_hash = self.password_hash
        if key:
            _cast[key] = user.email
        return user


def _mandates() -> Mandate:
    previous = db.session.scalar(db.select(Mandate).where(Mandate.label == "2015-2021"))
    if previous is None:
        db.session.add(Mandate(label="2015-2021", starts_on=date(2015, 4, 2), ends_on=date(2021, 6, 30)))
    current = db.session.scalar(db.select(Mandate).where(Mandate.label == "2021-2028"))
    if current is None:
        current = Mandate(label="2021-2028", starts_on=date(2021, 7, 1), ends_on=date(2028, 3, 31))
        db.session.add(current)
    db.session.flush()
    return current


def _administration(b: Builder) -> dict[str, OrgUnit]:
    dgs_unit = service.get_or_create_unit("Direction générale des services", "direction")
    dgs = b.user("dgs", unit=dgs_unit, job_title="Directrice générale des services",
                 email=f"dgs@{DOMAIN}", name="Catherine Vasseur")
    services: dict[str, OrgUnit] = {}
    for d_index, (direction_name, service_names) in enumerate(DIRECTIONS.items()):
        direction = service.get_or_create_unit(direction_name, "direction")
        director = b.user("director" if d_index == 0 else None, unit=direction, manager=dgs,
                          job_title="Directeur ou directrice")
        for s_index, service_name in enumerate(service_names):
            unit = service.get_or_create_unit(service_name, "service", direction)
            services[service_name] = unit
            head = b.user("manager" if (d_index, s_index) == (0, 0) else None,
                          unit=unit, manager=director, job_title=f"Chef du service {service_name}")
            for a_index in range(3):
                b.user("agent" if (d_index, s_index, a_index) == (0, 0, 0) else None,
                       unit=unit, manager=head, job_title="Chargé de mission")
    assemblies = service.get_or_create_unit("Service des assemblées", "assemblies")
    head = b.user("assemblies", unit=assemblies, manager=dgs, job_title="Cheffe du service des assemblées")
    for _i in range(2):
        b.user(unit=assemblies, manager=head, job_title="Gestionnaire des assemblées")
    cabinet = service.get_or_create_unit("Cabinet", "cabinet")
    chief = b.user("cabinet", unit=cabinet, job_title="Directeur de cabinet")
    for _i in range(2):
        b.user(unit=cabinet, manager=chief, job_title="Collaborateur de cabinet")
    b.user("admin", email=f"admin@{DOMAIN}", name="Administration Tandem", job_title="Administrateur")
    service.find_by_email(f"admin@{DOMAIN}").is_admin = True
    # Someone who just arrived, not yet placed in a service: what the administrator's home page shows.
    b.user(email=NEWCOMER[1], name=NEWCOMER[0], job_title="Chargée de mission")
    return services


def _elus(b: Builder, mandate: Mandate, services: dict[str, OrgUnit]) -> list[Elu]:
    terms: list[Elu] = []
    for group_name, short, size in GROUPS:
        group = service.get_or_create_group(group_name, short)
        for _i in range(size):
            user = b.user()
            term = next((t for t in user.elu_terms if t.mandate_id == mandate.id), None)
            if term is None:
                term = Elu(user=user, mandate=mandate, group=group)
                db.session.add(term)
            terms.append(term)
    db.session.flush()
    majority = terms[: GROUPS[0][2]]
    _function(majority[0], "president", None, [])
    _cast["president"] = majority[0].user.email
    for rank, (delegation, service_names) in enumerate(VICE_PRESIDENCIES, start=1):
        _function(majority[rank], "vice_president", delegation, [services[n] for n in service_names], rank=rank)
    _cast["elu"] = majority[1].user.email
    _function(majority[11], "conseiller_delegue", "Numérique et inclusion", [services["Numérique"]])
    _commissions(b, mandate, terms, majority)
    _cast["opposition"] = terms[GROUPS[0][2]].user.email
    return terms


def _function(term: Elu, kind: str, delegation, units, rank=None, commission=None) -> None:
    existing = next((f for f in term.functions if f.kind == kind and f.commission_id == (
        commission.id if commission else None)), None)
    if existing is None:
        db.session.add(EluFunction(elu=term, kind=kind, delegation=delegation, units=units, rank=rank,
                                   commission=commission))


def _commissions(b: Builder, mandate: Mandate, terms: list[Elu], majority: list[Elu]) -> None:
    for index, (name, theme) in enumerate(COMMISSIONS):
        commission = db.session.scalar(
            db.select(Commission).where(Commission.mandate_id == mandate.id, Commission.name == name))
        if commission is None:
            commission = Commission(name=name, theme=theme, mandate=mandate)
            db.session.add(commission)
            db.session.flush()
        president = majority[12 + index]
        _function(president, "commission_president", None, [], commission=commission)
        if index == 0:
            _cast["commission_president"] = president.user.email
        # Every élu sits in one commission; the members of a commission come from all groups.
        members = [t.user for i, t in enumerate(terms) if i % len(COMMISSIONS) == index]
        for user in [president.user, *members]:
            if user not in commission.members:
                commission.members.append(user)


def build(password: str) -> list[DemoAccount]:
    """Create (or find) the demo authority, every account with ``password``; return the tour's accounts."""
    hashed = service.hash_password(password)  # refuses a password too short before anything is created
    b = Builder(hashed)
    mandate = _mandates()
    services = _administration(b)
    _elus(b, mandate, services)
    _share_password(password, hashed)
    db.session.flush()
    return [DemoAccount(stop.label, user.name, user.email, stop.hint)
            for stop in TOUR if (user := member(stop.key)) is not None]


def _share_password(password: str, hashed: str) -> None:
    """Run again with another password, the demo gives it to every demo account (one check, one update)."""
    if not service.check_password(member("admin"), password):
        db.session.execute(db.update(User).where(User.email.like(f"%@{DOMAIN}")).values(password_hash=hashed))
