"""How the anti-manuel's keys read in French (and English through the catalogue)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MODALITY_LABELS = {
    "note": _l("Note en stock"), "weekly_meeting": _l("Point hebdomadaire"), "call": _l("Appel"),
    "oncall": _l("Astreinte"), "standing_delegation": _l("Délégation permanente"),
}
DECIDER_LABELS = {
    "elu": _l("L’élu·e"), "elu_or_head": _l("L’élu·e ou le responsable du service"),
    "head": _l("Le responsable du service"), "delegatee": _l("La personne déléguée"),
}
CHANNEL_LABELS = {"push": _l("Notification sur le téléphone"), "email": _l("Courriel"),
                  "in_app": _l("Dans Tandem seulement")}
PRESENCE_LABELS = {"none": _l("Aucune"), "remote": _l("À distance"), "on_site": _l("Sur place"),
                   "meeting": _l("En réunion")}
STATUS_LABELS = {"draft": _l("Brouillon"), "proposed": _l("Proposée, en attente d’accord"),
                 "agreed": _l("En vigueur"), "superseded": _l("Remplacée")}
FIELD_LABELS = {
    "modality": _l("Modalité"), "delegatee_id": _l("Délégation à"), "deadline_days": _l("Délai (jours)"),
    "shortenable": _l("Délai raccourcissable"), "deciders": _l("Qui décide"), "channel": _l("Canal"),
    "quiet_start": _l("Début des heures calmes"), "quiet_end": _l("Fin des heures calmes"),
    "urgent": _l("Urgent (passe outre les heures calmes)"), "presence": _l("Présence"), "argument": _l("Argument"),
}


def label(table: dict, key) -> str:
    value = table.get(key)
    return str(value) if value is not None else str(key)
