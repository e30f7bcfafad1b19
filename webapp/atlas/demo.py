"""Demo atlas for the demo authority: themes and M57 codes, budget for 2015-2021 and 2021-2028 (the
shipped sample file), published posters with political and staff comments, and a built PDF.

Idempotent: themes, codes and posters are found before they are created; re-importing the sample file
replaces its own lines; the PDF is built only when none exists.
"""

from __future__ import annotations

from pathlib import Path

from webapp.accounts.demo import DOMAIN
from webapp.accounts.models import User
from webapp.atlas import service
from webapp.atlas.models import FunctionalCode
from webapp.extensions import db
from webapp.organisation.models import Mandate, PoliticalGroup

# theme -> (M57 functional codes, competences and obligations)
THEMES = {
    "Solidarités": (["4"], "Chef de file de l’action sociale : protection de l’enfance, allocation personnalisée "
                           "d’autonomie, revenu de solidarité active, prestation de compensation du handicap, PMI."),
    "Éducation": (["2", "32", "33"], "Construction, entretien et équipement des collèges, restauration scolaire, "
                                      "soutien au sport et à la jeunesse (compétence partagée)."),
    "Mobilités": (["8"], "Routes départementales et ouvrages d’art, transport des élèves handicapés, "
                         "aménagements cyclables sur le réseau départemental."),
    "Aménagement": (["5", "7"], "Solidarité territoriale et ingénierie pour les communes, habitat, "
                                "espaces naturels sensibles, eau et assainissement en appui des communes."),
    "Culture": (["31", "34", "6"], "Lecture publique, archives départementales, enseignements artistiques, "
                                   "patrimoine, tourisme (compétences partagées)."),
    "Finances": (["0", "1"], "Vote du budget, gestion de la dette, ressources humaines, service départemental "
                             "d’incendie et de secours (contribution obligatoire)."),
}
GROUP_COMMENTS = {
    "UVH": "La majorité a tenu ses engagements sur ce thème, sans hausse de la fiscalité départementale.",
    "VHS": "Des avancées réelles, mais les délais d’accès aux aides restent trop longs dans les cantons ruraux.",
}
STAFF_TEXT = ("Les agents ont porté ces projets avec des effectifs constants ; la charge de travail "
              "des équipes sociales doit être mieux prise en compte.")


# Ready but not published: the assemblies service of the tour has a poster to read and publish.
LEFT_TO_PUBLISH = "Culture"


def _themes(actor) -> None:
    for position, (name, (codes, _competences)) in enumerate(THEMES.items()):
        theme = service.get_or_create_theme(name, position)
        for code in codes:
            if db.session.get(FunctionalCode, code) is None:
                service.map_code(actor, code, theme)


def _posters(actor, mandate: Mandate) -> None:
    for poster in service.ensure_posters(actor, mandate):
        if not poster.competences:
            service.update_poster(actor, poster, THEMES.get(poster.theme.name, ("", ""))[1])
        if poster.status != "published" and poster.commission is not None and poster.competences \
                and poster.theme.name != LEFT_TO_PUBLISH:
            service.publish(actor, poster)
        for short, text in GROUP_COMMENTS.items():
            group = db.session.scalar(db.select(PoliticalGroup).where(PoliticalGroup.short_name == short))
            writer = _group_elu(group, mandate)
            if group is not None and writer is not None and service.political_comment(poster, group) is None:
                service.save_political_comment(writer, poster, group, text)


def _group_elu(group: PoliticalGroup | None, mandate: Mandate) -> User | None:
    if group is None:
        return None
    return next((u for u in db.session.scalars(db.select(User).where(User.email.like(f"%@{DOMAIN}")).order_by(
        User.email)) if any(t.group_id == group.id and t.mandate_id == mandate.id for t in u.elu_terms)), None)


def _staff(actor, mandate: Mandate) -> None:
    rep = db.session.scalar(db.select(User).where(User.email.like(f"%@{DOMAIN}"), User.job_title == "Chargé de mission")
                            .order_by(User.email.desc()))
    if rep is None:
        return
    if not service.is_staff_representative(rep):
        service.add_staff_representative(actor, rep, "Comité social territorial")
    for poster in service.posters(mandate):
        if not poster.staff_text:
            service.save_staff_text(rep, poster, STAFF_TEXT)


def build() -> None:
    actor = db.session.scalar(db.select(User).where(User.email.like(f"%@{DOMAIN}"),
                                                    User.job_title == "Cheffe du service des assemblées"))
    mandate = db.session.scalar(db.select(Mandate).where(Mandate.label == "2021-2028"))
    if actor is None or mandate is None:
        return
    _themes(actor)
    service.import_budget_csv(actor, Path(__file__).with_name("sample_budget.csv").read_text(encoding="utf-8"))
    _posters(actor, mandate)
    _staff(actor, mandate)
    db.session.flush()
    if service.latest_build(mandate, done_only=True) is None and service.posters(mandate, published_only=True):
        from webapp.atlas.tasks import run_build

        build = service.request_build(actor, mandate)
        db.session.commit()
        run_build(str(build.id))
