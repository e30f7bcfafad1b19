"""Demo aperçus, comments and bilan sessions for the demo authority (webapp/accounts/demo.py): adopted,
except the one the tour's présidente de commission leads.

Idempotent: aperçus are found by title, comments by author and aperçu, sessions by commission; a
session already adopted is left as it is.
"""

from __future__ import annotations

from webapp.accounts.demo import DOMAIN
from webapp.accounts.models import OrgUnit, User
from webapp.commissions import service
from webapp.commissions.models import Apercu, ApercuComment
from webapp.extensions import db
from webapp.organisation.models import Commission, PoliticalGroup

# commission -> [(service, title, problem, public, expected, obtained, [(label, value, unit, date)])]
APERCUS = {
    "Solidarités et santé": [
        ("Enfance et famille", "Accueil familial renforcé",
         "Trop d’enfants confiés attendaient une place adaptée, loin de leur collège.",
         "Enfants confiés à l’aide sociale à l’enfance et familles d’accueil",
         "Recruter et former des assistants familiaux dans chaque canton.",
         "62 assistants familiaux recrutés, délai moyen de placement divisé par deux.",
         [("Assistants familiaux recrutés", "62", "personnes", "31/12/2025")]),
        ("Autonomie", "Maintien à domicile des personnes âgées",
         "Les demandes d’allocation personnalisée d’autonomie étaient traitées en plus de trois mois.",
         "Personnes âgées de plus de 60 ans et leurs aidants",
         "Instruire chaque demande en moins de 45 jours.",
         "Délai moyen ramené à 38 jours en 2025.",
         [("Délai moyen d’instruction", "38", "jours", "2025")]),
        ("Insertion et RSA", "Parcours emploi des allocataires du RSA",
         "Une part importante des allocataires n’avait aucun accompagnement actif.",
         "Allocataires du revenu de solidarité active",
         "Un référent unique et un premier rendez-vous sous un mois.",
         "91 % des nouveaux allocataires reçus dans le mois.",
         [("Allocataires accompagnés", "4 850", "personnes", "30/06/2025")]),
        ("Protection maternelle et infantile", "Consultations de PMI itinérantes",
         "Les familles des communes rurales renonçaient aux consultations.",
         "Jeunes parents et enfants de moins de 6 ans",
         "Un passage mensuel du bus de PMI dans chaque bassin de vie.",
         "24 communes desservies chaque mois.",
         [("Consultations réalisées", "3 200", "consultations", "2025")]),
    ],
    "Éducation, jeunesse et sports": [
        ("Collèges", "Rénovation énergétique des collèges",
         "Des bâtiments des années 1970 très consommateurs et inconfortables.",
         "Collégiens, équipes éducatives",
         "Réduire de 40 % la consommation d’énergie des collèges rénovés.",
         "Huit collèges rénovés, consommation réduite de 37 %.",
         [("Collèges rénovés", "8", "établissements", "2025")]),
        ("Collèges", "Restauration scolaire en circuit court",
         "Peu de produits locaux dans les cantines des collèges.",
         "Collégiens demi-pensionnaires et producteurs du territoire",
         "Atteindre 50 % de produits locaux ou de qualité.",
         "48 % atteints en 2025 grâce à une plateforme d’achat partagée.",
         [("Part de produits locaux", "48", "%", "2025")]),
        ("Sports et jeunesse", "Pass sport collégien",
         "Le coût des licences freinait la pratique sportive des jeunes.",
         "Collégiens du département",
         "Une aide de 50 € par licence.",
         "11 000 pass utilisés en trois saisons.",
         [("Pass utilisés", "11 000", "pass", "2025")]),
    ],
    "Routes, mobilités et infrastructures": [
        ("Routes", "Sécurisation des routes départementales",
         "Plusieurs carrefours accidentogènes sur les axes principaux.",
         "Usagers de la route, communes traversées",
         "Aménager les 15 points noirs recensés.",
         "12 carrefours aménagés, accidents corporels en baisse.",
         [("Carrefours aménagés", "12", "carrefours", "2025")]),
        ("Transports scolaires", "Transport scolaire à la demande",
         "Des élèves des hameaux isolés sans solution de transport.",
         "Élèves des écoles, collèges et lycées",
         "Un service de transport sur réservation pour les hameaux.",
         "340 élèves transportés chaque jour.",
         [("Élèves transportés", "340", "élèves par jour", "2025")]),
        ("Routes", "Véloroute de la vallée",
         "Aucun itinéraire cyclable continu entre les bourgs.",
         "Habitants, touristes, salariés pendulaires",
         "Relier les cinq bourgs par une voie cyclable.",
         "42 km ouverts sur 60 prévus.",
         [("Voie cyclable ouverte", "42", "km", "2025")]),
    ],
    "Aménagement, habitat et environnement": [
        ("Aménagement et habitat", "Rénovation de l’habitat privé",
         "Des logements anciens mal isolés occupés par des ménages modestes.",
         "Propriétaires occupants modestes",
         "Aider 1 500 rénovations sur le mandat.",
         "1 270 logements rénovés.",
         [("Logements rénovés", "1 270", "logements", "2025")]),
        ("Aménagement et habitat", "Ingénierie pour les petites communes",
         "Les petites communes manquaient d’appui technique pour leurs projets.",
         "Communes de moins de 2 000 habitants",
         "Un guichet unique d’ingénierie territoriale.",
         "180 communes accompagnées.",
         [("Communes accompagnées", "180", "communes", "2025")]),
        ("Aménagement et habitat", "Espaces naturels sensibles",
         "Des sites naturels dégradés par une fréquentation mal organisée.",
         "Visiteurs, associations naturalistes",
         "Ouvrir et protéger dix sites.",
         "Neuf sites aménagés avec un plan de gestion.",
         [("Sites aménagés", "9", "sites", "2025")]),
    ],
    "Culture, patrimoine et tourisme": [
        ("Culture et patrimoine", "Lecture publique en milieu rural",
         "Des médiathèques isolées et peu fréquentées.",
         "Habitants des communes rurales",
         "Un réseau départemental avec navette de documents.",
         "Fréquentation en hausse de 25 %.",
         [("Hausse de fréquentation", "25", "%", "2025")]),
        ("Culture et patrimoine", "Sauvegarde du patrimoine rural",
         "Églises et lavoirs en péril faute de moyens communaux.",
         "Communes et associations de sauvegarde",
         "Cofinancer 60 restaurations.",
         "54 restaurations engagées.",
         [("Restaurations engagées", "54", "édifices", "2025")]),
        ("Culture et patrimoine", "Festival des vallées",
         "Peu d’offre culturelle l’été hors de la préfecture.",
         "Habitants et visiteurs estivaux",
         "Un festival itinérant dans dix communes.",
         "Dix éditions communales, 18 000 spectateurs.",
         [("Spectateurs", "18 000", "personnes", "été 2025")]),
    ],
    "Finances et administration générale": [
        ("Finances", "Budget participatif départemental",
         "Les habitants se sentaient éloignés des choix d’investissement.",
         "Habitants de plus de 11 ans",
         "Consacrer 2 M€ à des projets choisis par les habitants.",
         "86 projets lauréats réalisés.",
         [("Projets réalisés", "86", "projets", "2025")]),
        ("Numérique", "Dématérialisation des démarches",
         "Des démarches papier longues pour les usagers.",
         "Usagers et agents instructeurs",
         "80 % des démarches accessibles en ligne.",
         "72 % en ligne, avec un accueil physique maintenu.",
         [("Démarches en ligne", "72", "%", "2025")]),
        ("Ressources humaines", "Qualité de vie au travail",
         "Un absentéisme élevé dans certains services.",
         "Agents du département",
         "Réduire l’absentéisme d’un point.",
         "Baisse de 0,8 point.",
         [("Baisse de l’absentéisme", "0,8", "point", "2025")]),
    ],
}

SCALE = ["Réussite marquante", "Réussi", "Résultats partiels", "À reprendre"]
CHALLENGES = {
    "Solidarités et santé": ["Recruter des travailleurs sociaux", "Vieillissement de la population",
                             "Santé mentale des jeunes"],
    "Éducation, jeunesse et sports": ["Finir la rénovation des collèges", "Mixité sociale des collèges",
                                      "Équipements sportifs vieillissants"],
    "Routes, mobilités et infrastructures": ["Entretien des ouvrages d’art", "Mobilité sans voiture",
                                             "Adaptation au climat"],
    "Aménagement, habitat et environnement": ["Zéro artificialisation nette", "Ressource en eau",
                                              "Logement des jeunes actifs"],
    "Culture, patrimoine et tourisme": ["Publics éloignés de la culture", "Tourisme quatre saisons",
                                       "Patrimoine non protégé"],
    "Finances et administration générale": ["Maîtrise de la dette", "Attractivité des métiers",
                                            "Sobriété numérique"],
}
OPPOSITION_CHALLENGES = ["Accès aux soins en zone rurale", "Tarifs sociaux des cantines",
                         "Services publics de proximité"]


def _unit(name: str) -> OrgUnit | None:
    return db.session.scalar(db.select(OrgUnit).where(OrgUnit.name == name, OrgUnit.kind == "service"))


def _author(unit: OrgUnit) -> User | None:
    return db.session.scalar(db.select(User).where(User.unit_id == unit.id, User.job_title == "Chargé de mission")
                             .order_by(User.email))


def _apercu(commission: Commission, spec) -> Apercu | None:
    unit_name, title, problem, public, expected, obtained, figures = spec
    found = db.session.scalar(db.select(Apercu).where(Apercu.title == title))
    if found is not None:
        return found
    unit = _unit(unit_name)
    author = _author(unit) if unit else None
    if author is None:
        return None
    apercu = service.create_apercu(author, {
        "title": title, "commission_id": commission.id, "problem": problem, "target_public": public,
        "expected_results": expected, "obtained_results": obtained,
        "people": [{"name": author.name, "role": "Chef de projet", "contact": author.email}],
        "chronology": [{"when": "2022", "what": "Lancement"}, {"when": "2024", "what": "Généralisation"}],
        "key_figures": [dict(zip(("label", "value", "unit", "date"), f, strict=True)) for f in figures]})
    service.submit_apercu(author, apercu)
    return apercu


def _comments(commission: Commission, apercus: list[Apercu]) -> None:
    elus = sorted((m for m in commission.members if m.elu_terms), key=lambda u: u.email)[:2]
    for apercu in apercus[:2]:
        for index, elu in enumerate(elus):
            if db.session.scalar(db.select(ApercuComment).where(ApercuComment.apercu_id == apercu.id,
                                                                ApercuComment.author_id == elu.id)):
                continue
            body = ("Projet utile, à étendre aux communes voisines." if index == 0
                    else "Les résultats sont encourageants mais le coût par bénéficiaire doit être suivi.")
            service.add_comment(elu, apercu, "elus", "opinion" if index else "comment", body)
        if not any(c.space == "agents" for c in apercu.comments):
            service.add_comment(apercu.author, apercu, "agents", "interference",
                                "Calendrier lié à celui d’un autre service : prévoir une coordination en amont.")


def _session(commission: Commission, apercus: list[Apercu], actor: User) -> None:
    session = service.session_of(commission)
    if (session is not None and session.adopted) or len(apercus) < 3:
        return
    if commission.name == LEFT_OPEN:
        _open_session(commission, apercus, actor, session)
        return
    service.set_scale(actor, commission, SCALE)
    service.rank(actor, commission, {str(a.id): i % len(SCALE) for i, a in enumerate(apercus)})
    service.save_selection(actor, commission, [a.id for a in apercus[:3]], CHALLENGES[commission.name])
    service.adopt(actor, commission)


# The tour's présidente de commission presides this one: its bilan session is begun, not adopted, so
# she has a session to lead (finish the ranking, choose, adopt); the other commissions' are adopted.
LEFT_OPEN = "Solidarités et santé"


def _open_session(commission: Commission, apercus: list[Apercu], actor: User, session) -> None:
    if session is not None:
        return  # begun on an earlier run (or by the présidente since): left as it is
    service.set_scale(actor, commission, SCALE)
    service.rank(actor, commission, {str(a.id): i % len(SCALE) for i, a in enumerate(apercus[:2])})
    opposition = db.session.scalar(db.select(PoliticalGroup).where(PoliticalGroup.short_name == "VHS"))
    if opposition is not None:
        service.save_selection(actor, commission, [a.id for a in apercus[1:4]], OPPOSITION_CHALLENGES, opposition)


GUIDANCE = ("Une page, pas plus : allez à l’essentiel. Datez chaque chiffre et donnez son unité. "
            "Distinguez ce qui était attendu de ce qui a été obtenu, y compris les écarts.")


def _templates(actor: User) -> None:
    if service.base_template() is None:
        service.save_template(actor, None, guidance=GUIDANCE)
    unit = _unit("Enfance et famille")
    if unit is not None and service.own_template(unit) is None:
        service.save_template(actor, unit, guidance="Précisez le nombre d’enfants concernés par canton.",
                              labels={"target_public": "Enfants et familles concernés"},
                              extra_fields=service.parse_extra_fields(
                                  "Partenaires financeurs | organismes et montants\nCantons concernés"))


def build() -> None:
    actor = db.session.scalar(db.select(User).where(User.email.like(f"%@{DOMAIN}"),
                                                    User.job_title == "Cheffe du service des assemblées"))
    if actor is None:
        return
    _templates(actor)
    for name, specs in APERCUS.items():
        commission = db.session.scalar(db.select(Commission).where(Commission.name == name))
        if commission is None:
            continue
        apercus = [a for a in (_apercu(commission, spec) for spec in specs) if a is not None]
        db.session.flush()
        _comments(commission, apercus)
        _session(commission, apercus, actor)
    db.session.flush()
