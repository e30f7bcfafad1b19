"""French labels of the organisation's codes (English through the .po)."""

from flask_babel import lazy_gettext as _l

KINDS = {"permanent_commission": _l("Commission permanente"), "thematic_commission": _l("Commission thématique"),
         "statutory_commission": _l("Commission réglementaire"), "external_body": _l("Organisme extérieur")}
ROLES = {"president": _l("Président"), "vice_president": _l("Vice-président"),
         "commission_president": _l("Président de commission"), "member": _l("Membre"),
         "titulaire": _l("Titulaire"), "suppleant": _l("Suppléant"), "representative": _l("Représentant")}
FUNCTION_TYPES = {"representation": _l("représentation"), "concertation": _l("concertation"),
                  "decision": _l("décision")}
WEEKDAYS = (_l("lundi"), _l("mardi"), _l("mercredi"), _l("jeudi"), _l("vendredi"), _l("samedi"), _l("dimanche"))
NTH = {1: _l("1er"), 2: _l("2e"), 3: _l("3e"), 4: _l("4e"), 5: _l("5e")}
CHANGES = {"body_added": _l("Instance ajoutée"), "body_changed": _l("Instance modifiée"),
           "body_removed": _l("Instance supprimée"), "post_added": _l("Poste ajouté"),
           "post_changed": _l("Poste modifié"), "post_removed": _l("Poste supprimé")}


def rhythm(post) -> str:
    """"2e mardi 14:00–17:00", "chaque lundi", or "" when the rhythm is not fixed."""
    if post.weekday is None:
        return ""
    day = str(WEEKDAYS[post.weekday])
    text = f"{NTH[post.nth_week]} {day}" if post.nth_week else f"{_l('chaque')} {day}"
    if post.starts_at is not None:
        text += f" {post.starts_at:%H:%M}–{post.ends_at:%H:%M}"
    return text
